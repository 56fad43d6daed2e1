"""`ayllu check-evidence FILE`: check, offline, evidence that a node misbehaved.

FILE is what a record's evidence page gives: the evidence's exact canonical bytes (core/ledger/evidence.py).
Every signature and claim in it is checked again; nothing is looked up, so no database is needed. An
anchored checkpoint mismatch (too many headers to carry) is the exception: its root is checked against
a copy of the record, by a node that holds it, and the command says so.
"""

import argparse
from pathlib import Path
from typing import Any

from ayllu.core.errors import DomainError
from ayllu.core.ledger.evidence import check_evidence

EXIT_OK, EXIT_FAILED, EXIT_ERROR = 0, 1, 2


def add_parsers(sub: Any) -> None:
    """Add `check-evidence` to the `ayllu` command's subcommands."""
    parser = sub.add_parser("check-evidence", help="check evidence against a node (no database needed)")
    parser.add_argument("file", type=Path)


def cmd_check_evidence(args: argparse.Namespace) -> int:
    """Run `ayllu check-evidence FILE`; exit 0 when it proves its claim, 1 when it does not."""
    raw = Path(args.file).read_bytes().strip()
    try:
        found = check_evidence(raw)
    except DomainError as exc:
        print(f"FAILED: {args.file}: {exc}")
        return EXIT_FAILED
    print(
        f"ok: {found.kind} by node {found.node} in record {found.log} at {found.seq}: "
        f"every signature holds (evidence id {found.id})"
    )
    if found.needs_record:
        # Anchored: the piece names the node's entry at the checkpoint's size, not every header.
        print(
            "  the checkpoint's root is not checked here: it must differ from the root of the record's "
            f"first {found.seq} entries, the last being the one the evidence holds; a node holding the "
            "record checks it when the evidence is posted to it"
        )
    return EXIT_OK
