"""`ayllu follow URL` mirrors a peer's records; `ayllu witness` cosigns the checkpoints of followed peers.

Both verify everything before storing it, print progress on stderr, pass any evidence they find on to
every peer they know, and exit 0 only when every record synced (or was cosigned) without a problem.
"""

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ayllu.storage import clock

if TYPE_CHECKING:
    from collections.abc import Callable

    # the parser is built before Django is set up: import the rest when a command runs
    from ayllu.federation.client import Peer
    from ayllu.federation.follow import FollowResult

EXIT_OK, EXIT_FAILED, EXIT_ERROR = 0, 1, 2
DEFAULT_BATCH = 2000


def add_parsers(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add the `follow` and `witness` subcommands to the CLI's parser."""
    follow = sub.add_parser("follow", help="mirror a peer's records, verifying every entry before storing it")
    follow.add_argument("url", help="the peer's base URL, e.g. http://127.0.0.1:8000")
    follow.add_argument("--log", action="append", help="a record to follow (default: all the peer serves)")
    follow.add_argument("--batch", type=int, default=DEFAULT_BATCH, help="entries per request")
    follow.add_argument("--workers", type=int, default=None, help="processes for signatures")
    follow.add_argument("--receipts", type=Path, help="receipts the peer must honour, one per line")
    follow.add_argument(
        "--peer",
        action="append",
        default=[],
        help="a peer whose cosignatures bind URL, and to pass evidence on to",
    )
    follow.add_argument(
        "--delegation", type=Path, help="a member's delegation of this node: receive members-only bodies"
    )
    delegate = sub.add_parser("delegate", help="as a member, let a node receive members-only bodies")
    delegate.add_argument("key", type=Path, help="the member's key file")
    delegate.add_argument("--log", required=True)
    delegate.add_argument("--node", required=True, help="the node's public key")
    delegate.add_argument("--days", type=int, default=365)
    delegate.add_argument("-o", "--output", type=Path, required=True)
    witness = sub.add_parser("witness", help="cosign the latest checkpoints of every followed record")
    witness.add_argument("--peer", action="append", default=[], help="a peer to pass evidence on to")
    for command in (follow, witness):
        command.add_argument(
            "--every", type=float, metavar="SECONDS", help="repeat every SECONDS until stopped"
        )


class _Progress:
    def __init__(self, log: str) -> None:
        self.log, self.shown = log, -1

    def __call__(self, done: int, total: int) -> None:
        step = max(1, total // 20)
        if done // step != self.shown or done == total:
            self.shown = done // step
            print(
                f"follow {self.log[:12]}: {done}/{total} entries verified and stored",
                file=sys.stderr,
                flush=True,
            )


def _print_result(result: "FollowResult") -> bool:
    """Print how the sync went; return whether it went well (rules checked for every entry held)."""
    from ayllu.cli.assembly import activate_language
    from ayllu.messages import rules_checked_sentence

    activate_language(None, default="en")
    rules = rules_checked_sentence(result.replayed, result.size)
    good = result.ok and result.replayed == result.size
    if good:
        print(f"ok: record {result.log}: {result.size} entries ({result.stored} new), verified; {rules}")
    elif result.ok:
        # Every entry held is verified, but this node could not check the rules of all of them.
        print(f"FAILED: record {result.log}: {result.size} entries ({result.stored} new) verified; {rules}")
    else:
        detail = json.dumps(result.detail, sort_keys=True, default=str)
        kept = f"kept {result.size} verified entries"
        print(f"FAILED: record {result.log}: {result.problem} {detail}; {kept}; {rules}")
    for item in result.evidence:
        print(f"evidence: {item.kind} by node {item.node} at {item.seq} (id {item.id})")
    return good


def _peers(urls: list[str], extra: list[str]) -> list["Peer"]:
    from ayllu.federation.client import Peer

    return [Peer(url) for url in dict.fromkeys([*urls, *extra])]


def _logs_of(peer: "Peer", followed: list[str]) -> list[str]:
    """The records a peer serves; when it cannot be reached, the ones this node follows from it."""
    from ayllu.federation.client import PeerError

    try:
        return peer.logs()
    except PeerError:
        if not followed:
            raise
        return followed


def _migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _repeat(round: "Callable[[argparse.Namespace], int]", args: argparse.Namespace) -> int:
    """Run one round, or with `--every SECONDS` run rounds until interrupted (a node keeps watching)."""
    import time

    if args.every is None:
        return round(args)
    while True:
        round(args)
        time.sleep(args.every)


def cmd_follow(args: argparse.Namespace) -> int:
    return _repeat(_follow_round, args)


def cmd_witness(args: argparse.Namespace) -> int:
    return _repeat(_witness_round, args)


def _follow_round(args: argparse.Namespace) -> int:
    from ayllu.actions.record import batch_mapper, default_workers
    from ayllu.federation.client import Peer
    from ayllu.federation.follow import (
        follow_federations,
        follow_record,
        follow_short_of_known,
        learn_from_witnesses,
        pass_on,
    )
    from ayllu.queries.replication import list_follows

    _migrate()
    signer, visible = None, frozenset({"public"})
    if args.delegation is not None:
        from ayllu.actions.record import node_keypair
        from ayllu.federation.auth import MEMBERS, members_node_signer

        signer, visible = members_node_signer(node_keypair(), args.delegation.read_bytes().strip()), MEMBERS
    peer = Peer(args.url, signer=signer)
    logs = args.log or _logs_of(peer, [f.log for f in list_follows() if f.url == args.url])
    receipts = []
    if args.receipts is not None:
        text = args.receipts.read_text("utf-8")
        receipts = [line.strip().encode("utf-8") for line in text.splitlines() if line.strip()]
    status = EXIT_OK
    workers = default_workers() if args.workers is None else args.workers
    evidence = []
    synced = []
    with batch_mapper(workers) as map_batches:
        for log in logs:
            # Checkpoints that other nodes cosigned bind the peer too: learn them before asking it.
            learned = learn_from_witnesses(_peers(args.peer, []), log)
            result = follow_record(
                peer,
                log,
                batch=args.batch,
                receipts=receipts,
                progress=_Progress(log),
                map_batches=map_batches,
                visible=visible,
            )
            result.evidence = learned + result.evidence
            good = _print_result(result)
            evidence += result.evidence
            status = max(status, EXIT_OK if good else EXIT_FAILED)
            if result.ok:
                synced.append(log)
        # What this node's assemblies' federations need (the federations, the records they cite),
        # from this peer or any other it knows: no hand step once an assembly held here is a member.
        known = [f.url for f in list_follows()]
        for result in follow_federations(
            [peer, *_peers(known, args.peer)], batch=args.batch, map_batches=map_batches, visible=visible
        ):
            good = _print_result(result)
            evidence += result.evidence
            status = max(status, EXIT_OK if good else EXIT_FAILED)
        # A record synced before a citation of it was noted (a federation served after it) is held to
        # that citation's checkpoint now, not at the next round.
        for result in follow_short_of_known(
            peer, synced, batch=args.batch, map_batches=map_batches, visible=visible
        ):
            good = _print_result(result)
            evidence += result.evidence
            status = max(status, EXIT_OK if good else EXIT_FAILED)
    if evidence:
        known = [f.url for f in list_follows() if f.url != args.url]
        pass_on(evidence, _peers(known, args.peer))
    return status


def _witness_round(args: argparse.Namespace) -> int:
    from ayllu.federation.client import Peer, PeerError
    from ayllu.federation.follow import pass_on
    from ayllu.federation.witness import witness_record
    from ayllu.queries.replication import list_follows

    _migrate()
    follows = list_follows()
    if not follows:
        print("this node follows no records: nothing to witness")
        return EXIT_OK
    status = EXIT_OK
    evidence = []
    for item in follows:
        try:
            result = witness_record(Peer(item.url), item.log)
        except PeerError as exc:
            print(f"FAILED: {item.url}: {exc}")
            status = EXIT_FAILED
            continue
        evidence += result.evidence
        if result.cosigned:
            print(f"cosigned: record {item.log} at {item.url}: size {result.size}")
        elif result.already:
            print(f"already cosigned: record {item.log} at {item.url}: size {result.size}")
        else:
            detail = json.dumps(result.detail, sort_keys=True, default=str)
            print(f"FAILED: record {item.log} at {item.url}: {result.problem} {detail}")
            status = EXIT_FAILED
        for found in result.evidence:
            print(f"evidence: {found.kind} by node {found.node} at {found.seq} (id {found.id})")
    if evidence:
        pass_on(evidence, _peers([f.url for f in follows], args.peer))
    return status


def cmd_delegate(args: argparse.Namespace) -> int:
    """Sign, with a member's key file, a delegation of a node (kept in a file given to that node)."""

    from ayllu.core.ledger.delegation import delegate_node
    from ayllu.storage.keyfiles import read_key_file

    member = read_key_file(args.key)
    until = clock.now_ms() + args.days * 86_400_000
    delegation = delegate_node(member, log=args.log, node=args.node, until=until)
    args.output.write_bytes(delegation.raw + b"\n")
    print(f"delegated node {args.node} for record {args.log} until {until} (ms) by member {member.public}")
    return EXIT_OK
