"""Succession from the command line (docs/federation.md section 5).

`ayllu endorse-move KEYFILE --log L --node NEW --after HASH -o FILE` is step 2: a member, on their
own device and without a node, endorses moving record L to node NEW after entry HASH.
`ayllu move-record --log L --key KEYFILE --endorsement FILE...` is step 3, run on the new node: a
member signs the `record.moved` act with the endorsements, and this node appends (seals) it.
"""

import argparse
import json
import secrets
from pathlib import Path
from typing import Any

EXIT_OK, EXIT_FAILED, EXIT_ERROR = 0, 1, 2


def add_parsers(sub: Any) -> None:
    """Add `endorse-move` and `move-record` to the `ayllu` command's subcommands."""
    endorse = sub.add_parser(
        "endorse-move", help="as a member, endorse moving a record to another node (no database needed)"
    )
    endorse.add_argument("key", type=Path, help="the member's key file")
    endorse.add_argument("--log", required=True, help="the record's log id")
    endorse.add_argument("--node", required=True, help="the new node's public key")
    endorse.add_argument("--after", required=True, help="the hash of the entry the move continues from")
    endorse.add_argument("-o", "--output", type=Path, required=True)
    move = sub.add_parser(
        "move-record", help="on the new node: append the record.moved act that members endorsed"
    )
    move.add_argument("--log", required=True, help="the record's log id")
    move.add_argument("--key", required=True, type=Path, help="a member's key file (signs the act)")
    move.add_argument(
        "--endorsement", action="append", required=True, type=Path, help="a member's endorsement file"
    )


def cmd_endorse_move(args: argparse.Namespace) -> int:
    """Write a member's endorsement of a move: one JSON object {"key", "sig"}."""
    from ayllu.core.errors import DomainError
    from ayllu.core.ledger.succession import endorse_move
    from ayllu.storage.keyfiles import read_key_file

    try:
        member = read_key_file(args.key)
        endorsement = endorse_move(member, log=args.log, node=args.node, after=args.after)
    except DomainError as exc:
        print(f"FAILED: {exc}")
        return EXIT_FAILED
    args.output.write_text(json.dumps(endorsement, sort_keys=True) + "\n", encoding="utf-8")
    print(f"endorsed moving record {args.log} to node {args.node} after {args.after} as {member.public}")
    return EXIT_OK


def _endorsements(paths: list[Path]) -> list[dict[str, str]]:
    found: list[dict[str, str]] = []
    for path in paths:
        for line in path.read_text("utf-8").splitlines():
            if line.strip():
                item = json.loads(line)
                found.append({"key": str(item.get("key", "")), "sig": str(item.get("sig", ""))})
    return found


def cmd_move_record(args: argparse.Namespace) -> int:
    """Append `record.moved` to this node, continuing after the record's head as held here."""
    from ayllu.actions.assembly import do_append_taking_in
    from ayllu.actions.record import node_keypair
    from ayllu.actions.replication import do_check_replayable
    from ayllu.core.errors import DomainError
    from ayllu.core.ledger.record import make_body, sign_act
    from ayllu.core.ledger.succession import RECORD_MOVED, build_move_content
    from ayllu.queries.replication import get_record_tip
    from ayllu.storage.keyfiles import read_key_file

    from .assembly import _fail

    try:
        endorsements = _endorsements(args.endorsement)
    except (ValueError, AttributeError):
        return _fail("malformed_body", {"field": "endorsements"})
    try:
        member = read_key_file(args.key)
        do_check_replayable(args.log)
        _, head, _ = get_record_tip(args.log)
        node = node_keypair().public
        content = build_move_content(node=node, after=head, endorsements=endorsements)
        body = make_body(content, vis="public", type=RECORD_MOVED)
        signed = sign_act(member, log=args.log, type=RECORD_MOVED, body=body, nonce=secrets.token_hex(8))
        receipt = do_append_taking_in(args.log, signed_act=signed, body=body).receipt
    except DomainError as exc:
        return _fail(exc.code, exc.detail)
    print(f"ok: record {args.log} moved to this node ({node}) at entry {receipt.seq}")
    print(receipt.raw.decode("utf-8"))
    return EXIT_OK
