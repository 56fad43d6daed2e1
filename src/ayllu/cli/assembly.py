"""`ayllu act`, `ayllu found` and `ayllu show`: an assembly's acts and reads from the command line.

    ayllu act vote --log L --key ana.key --question 12 --choice yes
    ayllu found --name "Junta vecinal" --key ana.key --key bea.key [--charter charter.json]
    ayllu show charter|members|meetings|proposals|questions|minutes LOG [--meeting ID]
    ayllu show cargos|turns|mandates|recalls|draws|concentration LOG [--at MS]   (see cargos.py)

Acts are signed here with the member's own key file, then appended through the same write path as the
API (`actions.assembly`): the node checks the signature and replays the rules before writing. Founding
needs every founder's key file, since each founder endorses the founding content. Errors print their
code and a sentence in the chosen language (--lang, else LANG; Spanish by default).
"""

import argparse
import dataclasses
import json
import os
import secrets
import sys
from pathlib import Path
from typing import Any

from ayllu.actions.catalogue import ACT_KINDS, ActKind
from ayllu.core.assembly.acts import CHOICE, INT_ID, LIST, NUMBER, OBJECT, OPTIONS, TIME
from ayllu.core.charter.households import new_household_id
from ayllu.storage import clock

from . import cargos

EXIT_OK, EXIT_ERROR = 0, 2
SHOW = ("charter", "members", "meetings", "proposals", "questions", "minutes")
LANGUAGES = ("es", "en")


def _json_value(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not JSON: {text!r}") from None


def _choice(text: str) -> Any:
    # A ballot is a word (yes, consent, block...) or, for approval and ranked choice, a JSON list.
    return _json_value(text) if text.startswith("[") else text


ARG_TYPES: dict[str, Any] = {
    INT_ID: int,
    TIME: int,
    NUMBER: int,
    OBJECT: _json_value,
    LIST: _json_value,
    CHOICE: _choice,
}
# `--household new` (acts that make a household): a fresh opaque id, made on this machine.
NEW_HOUSEHOLD = "new"
# Fields whose option would clash with `--key KEYFILE`.
RENAMED = {"key": "--claiming-key"}


def _add_language(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", choices=LANGUAGES, help="language of messages (default: LANG, else es)")


def _add_act_parser(acts: Any, kind: ActKind) -> None:
    parser = acts.add_parser(kind.name, help=f"{kind.summary} ({kind.type})")
    parser.add_argument("--log", required=True, help="the assembly's record id")
    parser.add_argument("--key", required=True, type=Path, help="the member's key file (signs the act)")
    parser.add_argument("--nonce", help="the act's nonce (default: random)")
    parser.add_argument("--vis", default="public", choices=("public", "members", "confidential"))
    _add_language(parser)
    for field in kind.fields:
        option = RENAMED.get(field.name, "--" + field.name.replace("_", "-"))
        if field.kind == OPTIONS:
            parser.add_argument(
                option, dest=f"field_{field.name}", nargs="+", required=field.required, help=field.help
            )
        else:
            kind_type = ARG_TYPES.get(field.kind, str)
            parser.add_argument(
                option, dest=f"field_{field.name}", type=kind_type, required=field.required, help=field.help
            )


def add_parsers(sub: Any) -> None:
    """Add `act`, `found` and `show` to the `ayllu` command."""
    act = sub.add_parser("act", help="sign an act with a member's key file and append it")
    acts = act.add_subparsers(dest="kind", required=True, metavar="KIND")
    for kind in ACT_KINDS.values():
        _add_act_parser(acts, kind)

    found = sub.add_parser("found", help="found an assembly; every founder's key file endorses it")
    found.add_argument("--name", required=True)
    found.add_argument("--key", required=True, type=Path, action="append", help="a founder's key file")
    found.add_argument("--household", action="append", help="each founder's household (default: own)")
    found.add_argument("--charter", type=Path, help="the charter as JSON (default: the starting charter)")
    _add_language(found)

    show = sub.add_parser("show", help="show an assembly as its record says")
    show.add_argument("what", choices=SHOW + cargos.SHOW)
    show.add_argument("log")
    show.add_argument("--meeting", type=int, help="the meeting, for minutes")
    show.add_argument("--at", type=int, help="the moment asked about, ms since the epoch (default: now)")
    show.add_argument("--household", help="turns: why is it this household's turn")
    show.add_argument("--draw", type=int, help="draws: one draw with its pool and chances")
    show.add_argument("--start", type=int, help="concentration: from this moment (default: the beginning)")
    _add_language(show)
    cargos.add_parsers(sub, add_language=_add_language)


def activate_language(choice: str | None, *, default: str = "es") -> None:
    """Speak `choice`, or the language of the environment (LANGUAGE, LANG), or `default`."""
    from django.utils import translation

    if choice is None:
        wanted = os.environ.get("LANGUAGE", "") or os.environ.get("LANG", "")
        choice = wanted[:2] if wanted[:2] in LANGUAGES else default
    translation.activate(choice)


_activate_language = activate_language


def _fail(code: str, detail: dict[str, Any]) -> int:
    from ayllu.messages import message_for

    print(f"error: {code}: {message_for(code, detail)}", file=sys.stderr)
    if detail:
        print(f"  {json.dumps(detail, sort_keys=True, default=str, ensure_ascii=False)}", file=sys.stderr)
    return EXIT_ERROR


def _print_receipt(type: str, receipt: Any) -> None:
    print(f"ok: {type} is entry {receipt.seq} of record {receipt.log} ({receipt.entry})")
    print(receipt.raw.decode("utf-8"))


def cmd_act(args: argparse.Namespace) -> int:
    """Sign one act with the member's key file and append it through the node's write path."""
    from ayllu.actions.assembly import check_submit_as_sent
    from ayllu.actions.catalogue import sign_kind
    from ayllu.actions.waiting_room import Waiting
    from ayllu.core.errors import DomainError
    from ayllu.storage.keyfiles import read_key_file

    _activate_language(args.lang)
    kind = ACT_KINDS[args.kind]
    try:
        keypair = read_key_file(args.key)
        values = {field.name: getattr(args, f"field_{field.name}") for field in kind.fields}
        if values.get("household") == NEW_HOUSEHOLD and "household_name" in values:
            # a new household: a fresh opaque id made here, its name (--household-name) goes as words
            values["household"] = new_household_id()
        nonce = args.nonce or secrets.token_hex(8)
        signed, body = sign_kind(keypair, args.log, kind=kind, values=values, nonce=nonce, vis=args.vis)
        answer = check_submit_as_sent(args.log, signed=signed, body=body, address="cli")
    except DomainError as error:
        return _fail(error.code, error.detail)
    if isinstance(answer, Waiting):
        # An application or a key claim waits outside the record until a member takes it in (decision 0011).
        print(
            f"waiting: {kind.type} {answer.act} waits for a member to take it in (until {answer.expires} ms)"
        )
        return EXIT_OK
    _print_receipt(kind.type, answer.receipt)
    return EXIT_OK


def cmd_found(args: argparse.Namespace) -> int:
    """Found an assembly: each founder's key file endorses the content; the first signs the act."""
    from ayllu.actions.assembly import check_found_assembly
    from ayllu.core.charter.founding import (
        FOUNDED,
        build_founding_body,
        build_founding_content,
        endorse_founding,
    )
    from ayllu.core.charter.rules import DAY_MS, founding_charter_data
    from ayllu.core.errors import DomainError
    from ayllu.core.ledger.record import log_id_for, sign_act
    from ayllu.storage.keyfiles import read_key_file

    _activate_language(args.lang)
    try:
        founders = [read_key_file(path) for path in args.key]
        households = args.household or [f"h-{keypair.public[:8]}" for keypair in founders]
        if len(households) != len(founders):
            return _fail("invalid_request", {"reason": "one --household per --key"})
        charter = founding_charter_data() if args.charter is None else json.loads(args.charter.read_text())
        now = clock.now_ms()
        until = now + int(charter.get("terms", {}).get("term_days", 90)) * DAY_MS
        content = build_founding_content(
            args.name,
            founded_at=now,
            charter=charter,
            founders=[(k.public, h) for k, h in zip(founders, households, strict=True)],
            # A federation gives no founding cargo: its offices go by turn among its member assemblies
            # (as the found page's federation draft, docs/federation-bodies.md "Founding").
            cargos=[]
            if "federation" in charter
            else [("convenor", founders[0].public, until), ("minute_keeper", founders[-1].public, until)],
        )
        endorsements = [endorse_founding(keypair, content) for keypair in founders]
        body = build_founding_body(content, endorsements)
        signed = sign_act(
            founders[0], log=log_id_for(body), type=FOUNDED, body=body, nonce=secrets.token_hex(8)
        )
        receipt = check_found_assembly(
            content,
            endorsements=endorsements,
            author=signed.act.author,
            nonce=signed.act.nonce,
            asig=signed.asig,
        ).receipt
    except DomainError as error:
        return _fail(error.code, error.detail)
    except (ValueError, AttributeError) as error:
        return _fail("invalid_charter", {"file": str(args.charter), "reason": str(error)})
    _print_receipt(FOUNDED, receipt)
    return EXIT_OK


def cmd_show(args: argparse.Namespace) -> int:
    """Print what the record says: the charter in plain language, or the rest as JSON."""
    from ayllu.core.assembly.words import shown_to
    from ayllu.core.errors import DomainError
    from ayllu.messages import charter_sentence
    from ayllu.queries import assembly as q
    from ayllu.queries.replayed import list_confidential_seqs

    _activate_language(args.lang)
    try:
        if args.what == "charter":
            charter = q.get_charter(args.log)
            for message in charter.messages:
                print(charter_sentence(message.id, message.params))
            return EXIT_OK
        if args.what in cargos.SHOW:
            shown: Any = cargos.show(args)
        elif args.what == "minutes":
            if args.meeting is None:
                return _fail("invalid_request", {"reason": "--meeting is needed for minutes"})
            shown = q.get_meeting_minutes(args.log, args.meeting)
        else:
            shown = {
                "members": q.list_members,
                "meetings": q.list_meetings,
                "proposals": q.list_proposals,
                "questions": q.list_questions,
            }[args.what](args.log)
        # The node's operator reads what a member reads: every word but confidential ones.
        shown = shown_to(shown, list_confidential_seqs(args.log))
    except DomainError as error:
        return _fail(error.code, error.detail)
    print(json.dumps(shown, indent=2, ensure_ascii=False, sort_keys=True, default=_as_json))
    return EXIT_OK


def _as_json(value: Any) -> Any:
    """A read model (a frozen dataclass) as the JSON object the API answers for it."""
    from ayllu.queries.outcomes import OutcomeRead, answered_parts

    if isinstance(value, OutcomeRead):  # without the parts its method left empty, as the API answers it
        return answered_parts(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    raise TypeError(f"{type(value).__name__} is not JSON")
