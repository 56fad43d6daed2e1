"""`ayllu minute-book` through the real executable: it writes the PDF, and a second node holding a copy of
the record (imported from the first one's export) writes the same bytes."""

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfReader

from factories.nodes import Node

pytestmark = pytest.mark.slow  # each test runs the installed `ayllu` command several times


def _text(pdf: bytes) -> str:
    return " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)


def test_the_command_writes_the_book_and_a_replica_writes_the_same_bytes(
    demo: Node, make_node: Callable[..., Node], tmp_path: Path
) -> None:
    # given: a second node holding the record, imported from the first node's export
    log = demo.only_log()
    export = tmp_path / "record.jsonl"
    assert demo.run("export", log, "-o", str(export)).returncode == 0
    replica = make_node("replica")
    imported = replica.run("import", str(export))
    assert imported.returncode == 0, imported.stdout + imported.stderr
    first, second, english = tmp_path / "a.pdf", tmp_path / "b.pdf", tmp_path / "en.pdf"
    # when
    wrote = demo.run("minute-book", log, "--lang", "es", "-o", str(first))
    again = replica.run("minute-book", log, "--lang", "es", "-o", str(second))
    replica.run("minute-book", log, "--lang", "en", "-o", str(english))
    # then
    assert wrote.returncode == 0, wrote.stderr
    assert again.returncode == 0, again.stderr
    assert "wrote the minute book" in wrote.stdout
    assert first.read_bytes() == second.read_bytes()
    text = _text(first.read_bytes())
    assert "Libro de actas" in text and "Junta Vecinal Villa Esperanza" in text and "Folio 1 de" in text
    assert "Minute book" in _text(english.read_bytes())


def test_an_unknown_meeting_is_an_error(demo: Node, tmp_path: Path) -> None:
    # when
    done = demo.run("minute-book", demo.only_log(), "--meeting", "999999", "-o", str(tmp_path / "x.pdf"))
    # then
    assert done.returncode == 2
    assert "unknown_meeting" in done.stderr or "no such meeting" in done.stderr
