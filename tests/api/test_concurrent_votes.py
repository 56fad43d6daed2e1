"""50 concurrent duplicate votes from one member through the API: exactly one counts (SQLite, PostgreSQL)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from factories.nodes import node_env

SCRIPT = str(Path(__file__).with_name("concurrent_votes.py"))


def run_votes(data: Path, database_url: str | None = None) -> dict[str, object]:
    env = node_env(data, database_url)
    done = subprocess.run([sys.executable, SCRIPT], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def check_exactly_one_counts(result: dict[str, object]) -> None:
    answers = result["answers"]
    assert isinstance(answers, list) and len(answers) == 50
    assert answers.count("201 ") == 1
    assert {a for a in answers if a != "201 "} <= {"409 already_voted", "200 "}
    assert (result["vote_entries"], result["voted"], result["record_size"]) == (1, 1, 4)


@pytest.mark.slow
def test_concurrent_duplicate_votes_on_sqlite(tmp_path: Path) -> None:
    # when: 50 threads send one member's vote at once (half the same signed act, half new nonces)
    result = run_votes(tmp_path / "node")
    # then
    check_exactly_one_counts(result)


@pytest.mark.slow
@pytest.mark.postgres
def test_concurrent_duplicate_votes_on_postgresql(tmp_path: Path, postgres_url: str) -> None:
    # when
    result = run_votes(tmp_path / "node", postgres_url)
    # then
    check_exactly_one_counts(result)
