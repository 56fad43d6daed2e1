"""A record founded on a SQLite node is imported and then followed by a PostgreSQL node, with real
processes (issue 12: the same record on both databases, whatever its words hold)."""

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


def test_a_record_founded_on_sqlite_is_imported_then_followed_on_postgresql(
    nodes: Nodes, postgres_url: str, tmp_path: Path
) -> None:
    # given: a record founded on a SQLite node, with words of every kind, exported at 21 entries
    origin = nodes.make("origin")
    log = origin.seed("found")
    origin.seed("append", "20", WORDS)
    export = tmp_path / "record.jsonl"
    origin.ayllu("export", log, "-o", str(export))
    # when: a PostgreSQL node imports the export, the origin goes on, and the PostgreSQL node follows it
    pg = nodes.make("pg", database_url=postgres_url)
    pg.ayllu("init")
    imported = pg.ayllu("import", str(export))
    after_import = _head(pg)
    receipt = origin.seed("append", "15", WORDS + " after")
    origin.start()
    followed = pg.follow(origin.url)
    # then: the import stored the record as exported, the follower took the rest, and what PostgreSQL
    # holds (read from its own tables, re-verified by the pure core) is the origin's record byte for byte
    assert imported.returncode == 0, imported.stdout + imported.stderr
    assert after_import[0] == 21
    assert followed.returncode == 0, followed.stdout + followed.stderr
    assert _head(pg) == _head(origin) == (36, _head(origin)[1])
    assert pg.verified(receipts=(receipt.encode(),)).ok
    assert pg.stored()[1] == origin.stored()[1]
    # and its public bodies, the words above among them, are the origin's bytes; its own check agrees
    assert _public_bodies(pg) == _public_bodies(origin)
    assert sum(WORDS.split("\t")[0].encode() in raw for raw in _public_bodies(pg).values()) == 35
    verified = pg.ayllu("verify")
    assert verified.stdout.startswith(f"ok: record {log}: "), verified.stdout + verified.stderr


def _public_bodies(node) -> dict[object, bytes]:  # type: ignore[no-untyped-def]
    return {key: body.raw for key, body in node.stored()[2].items() if key[1] == "public"}
