"""A record founded on a SQLite node is imported and then followed by a PostgreSQL node, and the other
way round, with real processes (issue 12: the same record on both databases, whatever its words hold)."""

from pathlib import Path

import pytest
from fed_nodes import Nodes

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

# Words PostgreSQL and SQLite could store differently if a node took any shortcut: accents, a
# combining mark, a character outside the BMP, an emoji, a tab and a line break, right-to-left letters.
WORDS = "Peñas jose\u0301 \U0001d538 \u2713\U0001f33d\tcol\nline \u05e9\u05dc\u05d5\u05dd"


def _head(node) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    report = node.verified()
    return report.size, report.head


@pytest.mark.parametrize("founded_on", ["sqlite", "postgresql"])
def test_a_record_founded_on_one_database_is_imported_then_followed_on_the_other(
    nodes: Nodes, postgres_url: str, tmp_path: Path, founded_on: str
) -> None:
    # given: a record founded on one database's node, with words of every kind, exported at 21 entries
    on_postgres = {"database_url": postgres_url}
    origin = nodes.make("origin", **(on_postgres if founded_on == "postgresql" else {}))
    log = origin.seed("found")
    origin.seed("append", "20", WORDS)
    export = tmp_path / "record.jsonl"
    origin.ayllu("export", log, "-o", str(export))
    # when: a node on the other database imports the export, the origin goes on, and that node follows it
    other = nodes.make("other", **(on_postgres if founded_on == "sqlite" else {}))
    other.ayllu("init")
    imported = other.ayllu("import", str(export))
    after_import = _head(other)
    receipt = origin.seed("append", "15", WORDS + " after")
    origin.start()
    followed = other.follow(origin.url)
    # then: the import stored the record as exported, the follower took the rest, and what the other
    # database holds (read from its own tables, re-verified by the pure core) is the origin's record byte
    # for byte
    assert imported.returncode == 0, imported.stdout + imported.stderr
    assert after_import[0] == 21
    assert followed.returncode == 0, followed.stdout + followed.stderr
    assert _head(other) == _head(origin) == (36, _head(origin)[1])
    assert other.verified(receipts=(receipt.encode(),)).ok
    assert other.stored()[1] == origin.stored()[1]
    # and its public bodies, the words above among them, are the origin's bytes; its own check agrees
    assert _public_bodies(other) == _public_bodies(origin)
    assert sum(WORDS.split("\t")[0].encode() in raw for raw in _public_bodies(other).values()) == 35
    verified = other.ayllu("verify")
    assert verified.stdout.startswith(f"ok: record {log}: "), verified.stdout + verified.stderr


def _public_bodies(node) -> dict[object, bytes]:  # type: ignore[no-untyped-def]
    return {key: body.raw for key, body in node.stored()[2].items() if key[1] == "public"}
