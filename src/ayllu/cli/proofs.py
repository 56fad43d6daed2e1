"""`ayllu check-proof FILE`: check, offline, that one entry is in a record a node signed.

FILE is what a record page's "Download the proof" gives (queries/proofs.py): the exact text of one entry,
the exact text of a signed checkpoint, and the audit path between them. Nothing is looked up: the check
needs no database and no connection, only SHA-256 and Ed25519.
"""

import argparse
import json
from pathlib import Path
from typing import Any

from ayllu.core.errors import BadProof, DomainError
from ayllu.core.ledger.checkpoints import parse_checkpoint
from ayllu.core.ledger.merkle import check_inclusion
from ayllu.core.ledger.record import parse_entry

FORMAT = "ayllu-inclusion-proof"
EXIT_OK, EXIT_FAILED, EXIT_ERROR = 0, 1, 2


def add_parsers(sub: Any) -> None:
    """Add `check-proof` to the `ayllu` command's subcommands."""
    parser = sub.add_parser("check-proof", help="check a decision's inclusion proof (no database needed)")
    parser.add_argument("file", type=Path)


def check_proof(data: dict[str, Any]) -> str:
    """Check a proof document; return a one-line summary or raise DomainError naming what fails."""
    checkpoint = parse_checkpoint(str(data["checkpoint"]).encode("utf-8"))
    entry = parse_entry(str(data["entry"]).encode("utf-8"))
    entry.check_signatures()
    if entry.log != checkpoint.log or entry.seq != data["seq"]:
        raise BadProof(reason="entry_elsewhere", seq=entry.seq, log=entry.log)
    check_inclusion(
        entry.hash, index=entry.seq - 1, size=checkpoint.size, proof=list(data["proof"]), root=checkpoint.root
    )
    return (
        f"ok: entry {entry.seq} ({entry.type}) of record {entry.log} is in the checkpoint of size "
        f"{checkpoint.size}, root {checkpoint.root}, signed by node {checkpoint.node}"
    )


def cmd_check_proof(args: argparse.Namespace) -> int:
    """Run `ayllu check-proof FILE`; exit 0 when the proof holds, 1 when it does not, 2 when unreadable."""
    try:
        data = json.loads(Path(args.file).read_text(encoding="utf-8"))
    except ValueError:
        print(f"error: {args.file} is not JSON")
        return EXIT_ERROR
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("version") != 1:
        print(f"error: {args.file} is not an ayllu inclusion proof (format {FORMAT}, version 1)")
        return EXIT_ERROR
    try:
        print(check_proof(data))
    except (DomainError, KeyError, TypeError) as exc:
        print(f"FAILED: {args.file}: {exc}")
        return EXIT_FAILED
    return EXIT_OK
