"""Issue 4 from the command line: `ayllu draw ...` and the reads behind `ayllu show` for cargos and the rest.

    ayllu draw prepare --log L --key ana.key --purpose P --pool pool.json --quota zone:norte:1:2 \
        --panel-size 9 --commit-until MS --reveal-until MS --beacon drand-quicknet:1234 --beacon-after MS
    ayllu draw commit --log L --key bea.key --draw 12        # keeps the secret in bea.key.draw-<log>-12
    ayllu draw reveal --log L --key bea.key --draw 12
    ayllu draw complete --log L --key eva.key --draw 12 --beacon-value HEX
    ayllu show cargos|turns|mandates|recalls|draws|concentration LOG [--at MS] [--household H] [--draw ID]
    ayllu show roster LOG [--at MS] [--cargo C] [--months N]    # the planned roster next to the turn order

`draw prepare` computes the LEXIMIN lottery here, off the record (`sortition.preparation.prepare_draw`),
and submits `draw.prepared` signed with the member's key file; every replica then checks the quotas
and the lottery's hash. The secret of a commitment never leaves the member's machine until the reveal.
`draw complete` recomputes the index and panel from the record and the beacon value (docs/cargos.md).
"""

import argparse
import json
import os
import secrets
from dataclasses import asdict
from pathlib import Path
from typing import Any

from ayllu.actions.catalogue import ACT_KINDS
from ayllu.storage import clock

# `offices`: a federation's offices by turn, its petitions and who held them (docs/federation-bodies.md).
SHOW: tuple[str, ...] = ("cargos", "turns", "roster", "mandates", "recalls", "draws", "concentration")
SHOW += ("offices",)
# `federation`: a federation's member assemblies, their delegates' seats, its resolutions and their
# ratification so far (as `GET /api/assemblies/{log}/federation`).
SHOW += ("federation",)


def _quota(text: str) -> tuple[str, str, int, int]:
    try:
        category, feature, low, high = text.rsplit(":", 3)
        return category, feature, int(low), int(high)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not CATEGORY:FEATURE:MIN:MAX: {text!r}") from None


def _beacon(text: str) -> dict[str, Any]:
    source, _, round_ = text.rpartition(":")
    if not source or not round_.isdigit():
        raise argparse.ArgumentTypeError(f"not SOURCE:ROUND: {text!r}")
    return {"source": source, "round": int(round_)}


def add_parsers(sub: Any, *, add_language: Any) -> None:
    """Add `draw prepare|commit|reveal|complete` to the `ayllu` command, and the cargo reads' own options
    to `ayllu show` (added just before)."""
    show = sub.choices["show"]
    show.add_argument("--cargo", help="roster: only this cargo's terms (planned with every cargo)")
    show.add_argument(
        "--months", type=int, choices=range(1, 13), default=12, metavar="1..12", help="roster: how far ahead"
    )
    draw = sub.add_parser("draw", help="draw a panel by lot: prepare, commit, reveal, complete")
    steps = draw.add_subparsers(dest="step", required=True, metavar="STEP")
    prepare = steps.add_parser("prepare", help="compute the LEXIMIN lottery here and record the draw")
    commit = steps.add_parser("commit", help="commit to a secret kept next to the key file")
    reveal = steps.add_parser("reveal", help="reveal the secret committed to")
    complete = steps.add_parser("complete", help="complete the draw with the beacon value")
    for parser in (prepare, commit, reveal, complete):
        parser.add_argument("--log", required=True, help="the assembly's record id")
        parser.add_argument("--key", required=True, type=Path, help="the member's key file (signs the act)")
        add_language(parser)
    prepare.add_argument("--purpose", required=True)
    prepare.add_argument("--pool", required=True, type=Path, help="JSON: member id -> {category: feature}")
    prepare.add_argument("--quota", type=_quota, action="append", default=[], help="CATEGORY:FEATURE:MIN:MAX")
    prepare.add_argument("--panel-size", required=True, type=int)
    prepare.add_argument(
        "--size", type=int, help="panels in the lottery (default: the charter's number, else 1000)"
    )
    prepare.add_argument("--commit-until", required=True, type=int, help="ms since the epoch")
    prepare.add_argument("--reveal-until", required=True, type=int, help="ms since the epoch")
    prepare.add_argument("--beacon", required=True, type=_beacon, action="append", help="SOURCE:ROUND")
    prepare.add_argument("--beacon-after", required=True, type=int, help="when the beacon is published, ms")
    for parser in (commit, reveal, complete):
        parser.add_argument("--draw", required=True, type=int, help="the draw's id")
    for parser in (commit, reveal):
        parser.add_argument("--secret-file", type=Path, help="default: next to the key file")
    complete.add_argument("--beacon-value", required=True, help="the named beacon round's value, hex")
    complete.add_argument("--beacon", type=_beacon, help="SOURCE:ROUND (default: the first one named)")


def _secret_file(args: argparse.Namespace) -> Path:
    key: Path = args.key
    chosen: Path | None = args.secret_file
    return chosen or key.with_name(f"{key.name}.draw-{args.log[:16]}-{args.draw}")


def _prepared_values(args: argparse.Namespace) -> dict[str, Any]:
    from ayllu.core.sortition import Quota
    from ayllu.core.sortition.preparation import prepare_draw
    from ayllu.queries import cargos as q

    pool = json.loads(args.pool.read_text())
    quotas = [Quota(c, f, low, high) for c, f, low, high in args.quota]
    size = q.get_draw_panels(args.log) if args.size is None else args.size
    prepared = prepare_draw(pool, quotas=quotas, panel_size=args.panel_size, size=size)
    return {
        "purpose": args.purpose,
        **prepared,
        "commit_until": args.commit_until,
        "reveal_until": args.reveal_until,
        "beacon_chain": args.beacon,
        "beacon_after": args.beacon_after,
    }


def _commit_values(args: argparse.Namespace, member: str) -> dict[str, Any]:
    from ayllu.core.sortition import commitment_for
    from ayllu.queries import cargos as q

    recorded = q.get_draw(args.log, args.draw).lottery_hash
    secret = secrets.token_bytes(32)
    path = _secret_file(args)
    # The secret decides the draw with the others': only this member may read it until the reveal.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(secret.hex() + "\n")
    return {"draw": args.draw, "commitment": commitment_for(secret, lottery=recorded, member=member)}


def _completion_values(args: argparse.Namespace) -> dict[str, Any]:
    from ayllu.queries import cargos as q

    value = args.beacon_value.strip().lower()  # beacons may publish upper case; the record holds lower
    return q.get_draw_completion(args.log, args.draw, beacon_value=value, beacon=args.beacon)


def cmd_draw(args: argparse.Namespace) -> int:
    """Run one step of a draw and append its act, signed with the member's key file."""
    from ayllu.actions.assembly import check_submit_as_sent
    from ayllu.actions.catalogue import sign_kind
    from ayllu.actions.record import Submitted
    from ayllu.core.errors import DomainError
    from ayllu.storage.keyfiles import read_key_file

    from .assembly import EXIT_OK, _activate_language, _fail, _print_receipt

    _activate_language(args.lang)
    try:
        keypair = read_key_file(args.key)
        if args.step == "prepare":
            kind, values = ACT_KINDS["prepare-draw"], _prepared_values(args)
        elif args.step == "commit":
            member = _member_id(args.log, keypair.public)
            kind, values = ACT_KINDS["commit-draw"], _commit_values(args, member)
        elif args.step == "reveal":
            secret = _secret_file(args).read_text().strip()
            kind, values = ACT_KINDS["reveal-draw"], {"draw": args.draw, "secret": secret}
        else:
            kind, values = ACT_KINDS["complete-draw"], _completion_values(args)
        signed, body = sign_kind(keypair, args.log, kind=kind, values=values, nonce=secrets.token_hex(8))
        answer = check_submit_as_sent(args.log, signed=signed, body=body)
        assert isinstance(answer, Submitted), "a draw's acts are members' own: none waits outside the record"
        receipt = answer.receipt
    except DomainError as error:
        if args.step == "commit" and error.code != "record_not_found":
            _secret_file(args).unlink(missing_ok=True)  # nothing was committed to it
        return _fail(error.code, error.detail)
    except (ValueError, KeyError) as error:
        return _fail("invalid_request", {"reason": str(error)})
    _print_receipt(kind.type, receipt)
    return EXIT_OK


def _member_id(log: str, key: str) -> str:
    from ayllu.queries.pages import get_member_id

    return get_member_id(log, key=key) or key


def show(args: argparse.Namespace) -> Any:
    """What `ayllu show` prints for issue 4's reads (JSON-ready)."""
    from ayllu.messages import concentration_alert_sentence
    from ayllu.queries import cargos as q

    now = args.at if args.at is not None else clock.now_ms()
    if args.what == "cargos":
        return {"cargos": q.list_cargos(args.log), "holdings": q.list_holdings(args.log, now=now)}
    if args.what == "turns":
        if args.household:
            return q.get_why_our_turn(args.log, household=args.household, now=now)
        return q.list_turn_order(args.log, now=now)
    if args.what == "roster":
        return q.get_planned_roster(args.log, now=now, months=args.months, cargo=args.cargo or "")
    if args.what == "mandates":
        mandates = q.list_mandates(args.log)
        return {
            "mandates": mandates.mandates,
            "requests": mandates.requests,
            "sessions": q.list_sessions(args.log, now=now),
            "report_flags": q.list_report_flags(args.log, now=now),
            "delegate_votes": q.list_delegate_votes(args.log),
        }
    if args.what == "recalls":
        return q.list_recall_petitions(args.log, open_only=False)
    if args.what == "draws":
        return q.get_draw(args.log, args.draw) if args.draw else q.list_draws(args.log)
    if args.what in ("offices", "federation"):
        from ayllu.core.federations.errors import NotAFederation
        from ayllu.queries.federation_offices import get_federation_offices
        from ayllu.queries.federations import get_federation

        read = get_federation_offices if args.what == "offices" else get_federation
        found = read(args.log, now=now)
        if found is None:
            raise NotAFederation()
        return found
    report = q.get_concentration(args.log, start=args.start or 0, end=now + 1)
    alerts = [asdict(a) for a in report.alerts]
    return {**asdict(report), "alerts": [{**a, "message": concentration_alert_sentence(a)} for a in alerts]}
