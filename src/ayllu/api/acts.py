"""Writes of the API: one typed endpoint per act of the catalogue, a generic signed-act endpoint, founding.

Each act endpoint takes the act's typed fields (some from the path) with `author`, `nonce` and `asig`.
The node builds the canonical body from those fields, rebuilds the act the author signed (log and type
fixed by the endpoint) and appends it through `actions.assembly`, which checks the signature and replays
the assembly's rules before anything is written. The node never signs for a member.
"""

import inspect
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from ninja import Path, Status

from ayllu.actions import assembly as acts
from ayllu.actions import catalogue
from ayllu.actions.rate_limits import AnonymousWrite, check_anonymous_act
from ayllu.actions.record import Submitted
from ayllu.actions.waiting_room import Waiting
from ayllu.addresses import client_address
from ayllu.core.charter.founding import build_founding_content
from ayllu.core.ledger.record import Act

from .errors import ERROR_STATUSES, ErrorOut
from .router import router
from .schemas import (
    PATH_TYPES,
    FoundingIn,
    Log,
    ReceiptOut,
    RetriedReceiptOut,
    SignedActIn,
    SignedFields,
    WaitingOut,
    act_request_schema,
)

A = "/assemblies/{log}"
# (kind, path, fields taken from the path)
ROUTES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("notice", f"{A}/notices", ()),
    ("apply", f"{A}/applications", ()),
    ("sponsor", f"{A}/applications/{{applicant}}/sponsorships", ("applicant",)),
    ("leave", f"{A}/departures", ()),
    ("rotate-key", f"{A}/key-rotations", ()),
    ("claim-key", f"{A}/key-claims", ()),
    ("vouch-key", f"{A}/key-claims/{{key}}/vouches", ("key",)),
    ("register-household", f"{A}/households", ()),
    ("set-name", f"{A}/names", ()),
    ("convene", f"{A}/meetings", ()),
    ("petition", f"{A}/petitions", ()),
    ("sign-petition", f"{A}/petitions/{{petition}}/signatures", ("petition",)),
    ("sign-presence", f"{A}/meetings/{{meeting}}/presence", ("meeting",)),
    ("end-presence", f"{A}/meetings/{{meeting}}/departures", ("meeting",)),
    ("add-agenda-item", f"{A}/meetings/{{meeting}}/agenda", ("meeting",)),
    ("queue", f"{A}/meetings/{{meeting}}/queue", ("meeting",)),
    ("call-speaker", f"{A}/meetings/{{meeting}}/floor", ("meeting",)),
    ("raise-point", f"{A}/meetings/{{meeting}}/points", ("meeting",)),
    ("rule-point", f"{A}/meetings/{{meeting}}/points/{{point}}/ruling", ("meeting", "point")),
    ("add-note", f"{A}/meetings/{{meeting}}/notes", ("meeting",)),
    ("close-meeting", f"{A}/meetings/{{meeting}}/closing", ("meeting",)),
    ("table", f"{A}/proposals", ()),
    ("cosign", f"{A}/proposals/{{proposal}}/cosignatures", ("proposal",)),
    ("amend", f"{A}/proposals/{{proposal}}/amendments", ("proposal",)),
    (
        "accept-amendment",
        f"{A}/proposals/{{proposal}}/amendments/{{amendment}}/acceptance",
        ("proposal", "amendment"),
    ),
    ("withdraw", f"{A}/proposals/{{proposal}}/withdrawal", ("proposal",)),
    ("comment", f"{A}/proposals/{{proposal}}/comments", ("proposal",)),
    ("object", f"{A}/proposals/{{proposal}}/objections", ("proposal",)),
    (
        "answer-objection",
        f"{A}/proposals/{{proposal}}/objections/{{objection}}/answers",
        ("proposal", "objection"),
    ),
    (
        "withdraw-objection",
        f"{A}/proposals/{{proposal}}/objections/{{objection}}/withdrawal",
        ("proposal", "objection"),
    ),
    ("open-question", f"{A}/proposals/{{proposal}}/questions", ("proposal",)),
    ("vote", f"{A}/questions/{{question}}/votes", ("question",)),
    ("close-question", f"{A}/questions/{{question}}/closing", ("question",)),
    ("erase-words", f"{A}/entries/{{entry}}/erasure", ("entry",)),
    # {title, text}: a proposal of matter erasure, that the assembly erase entry {entry}'s words
    ("propose-erasure", f"{A}/entries/{{entry}}/erasure-proposals", ("entry",)),
    # {cites: [citation, ...], note?}: each citation as GET .../entries/{entry}/citation answers it.
    ("cite-record", f"{A}/citations", ()),
    # {federation, until}: a delegate's credential for a federation, in their home assembly's record.
    ("accredit", f"{A}/credentials", ()),
    # {assembly, cites: [citation of the credential], credential: its body, replaces?}: in a federation.
    ("take-seat", f"{A}/seats", ()),
    # {federation, office, until}: a person's credential for a federation's office, in their home record.
    ("accredit-office", f"{A}/office-credentials", ()),
    # {assembly, cites: [citation of the office credential], credential: its body}: in a federation.
    ("cite-office", f"{A}/federation/offices/holders", ()),
    # {federation, action}: a home's decision to join (action "join") or leave ("leave") a federation.
    ("state-membership", f"{A}/membership-decisions", ()),
    # {assembly, cites: [citation of the decision], decision: its body}: joining or leaving, in a federation.
    ("cite-membership", f"{A}/federation/memberships", ()),
    # {federation, action, office?, holder?, resolution?, starts?}: a home's decision to back a petition.
    ("back-petition", f"{A}/petition-backings", ()),
    # {assembly, cites: [citation of the backing], backing: its body}: in a federation.
    ("cite-petition", f"{A}/federation/petitions", ()),
    # {cites: [citation of the credential]}: a seated delegate signs their assembly present at a plenary.
    ("plenary-presence", f"{A}/federation/plenaries/{{meeting}}/presence", ("meeting",)),
    # {}: anyone opens the plenary's sitting: with quorum it opens, without it (after the wait) postponed.
    ("open-plenary", f"{A}/federation/plenaries/{{meeting}}/opening", ("meeting",)),
    # {}: a delegate present at the opened sitting takes the plenary's chair, first come (decision 0030).
    ("chair-plenary", f"{A}/federation/plenaries/{{meeting}}/chair", ("meeting",)),
    # {choice, cites: [credential, mandate?], mandate?}: an assembly's voice on confirming a suspension.
    ("recall-vote", f"{A}/federation/recall-votes/{{recall}}/votes", ("recall",)),
    # {}: anyone closes a recall vote after its deadline and the recall grace time.
    ("close-recall-vote", f"{A}/federation/recall-votes/{{recall}}/closing", ("recall",)),
    # {federation, question, position}: the home assembly's mandate on a federation's question, stated.
    ("state-mandate", f"{A}/federation-mandates", ()),
    # {choice, cites: [credential, mandate?], mandate?}: an assembly's voice on a federation's question.
    ("federation-vote", f"{A}/questions/{{question}}/delegation-votes", ("question",)),
    # {federation, credential, at}: a recall of the delegate who issued the credential, stated at home.
    ("state-withdrawal", f"{A}/withdrawals", ()),
    # {cites: [citation of the withdrawal], withdrawn: its body}: the recall cited into a federation.
    ("cite-recall", f"{A}/recalls-cited", ()),
    # {federation, resolution, proposal, answer, households}: a home assembly's ratification decision.
    ("record-ratification", f"{A}/ratifications", ()),
    # {resolution, cites: [citation of the recorded decision], report: its body}: in a federation.
    ("cite-ratification", f"{A}/resolutions/{{resolution}}/ratifications", ("resolution",)),
    # {title, text, rule, share, deadline}: a proposal of matter resolution, in a federation.
    ("propose-resolution", f"{A}/resolutions", ()),
    # {title, text, federation, resolution}: a proposal of matter ratification, in a member assembly.
    ("propose-ratification", f"{A}/ratification-proposals", ()),
)

RESPONSES: dict[int, Any] = {
    201: ReceiptOut,
    200: RetriedReceiptOut,
    **dict.fromkeys(ERROR_STATUSES, ErrorOut),
}
# A stranger's act (applying to join, claiming a lost key) is answered 202: it waits outside the record
# (decision 0011).
WAITING_RESPONSES: dict[int, Any] = {**RESPONSES, 202: WaitingOut}


def receipt_out(submitted: Submitted) -> Status[dict[str, Any]]:
    """201 and the receipt for a new entry; 200 and the first receipt, marked, for a retried act."""
    receipt = submitted.receipt
    out = {
        "log": receipt.log,
        "seq": receipt.seq,
        "entry": receipt.entry,
        "time": receipt.time,
        "node": receipt.node,
        "receipt": receipt.raw.decode("utf-8"),
    }
    return Status(200, {**out, "duplicate": True}) if submitted.duplicate else Status(201, out)


def taken(answer: Submitted | Waiting) -> Status[dict[str, Any]]:
    """The receipt of an act in the record (201, or 200 for a resend), or 202 with where a stranger's
    act waits."""
    if isinstance(answer, Waiting):
        return Status(202, {**answer.as_json(), "waiting": True})
    return receipt_out(answer)


def _count_anonymous(request: HttpRequest, kind: AnonymousWrite, act: Act) -> None:
    """Count an act anyone may make against the client's address (past the trusted proxies only),
    unless it is a resend of an act the node already holds (`check_anonymous_act`). Counted once the
    act is built, before the write lock is taken: each new attempt takes the record's write lock."""
    check_anonymous_act(kind, act=act, address=client_address(request))


def _act_view(kind: catalogue.ActKind, in_path: tuple[str, ...]) -> Callable[..., Status[dict[str, Any]]]:
    schema = act_request_schema(kind, in_path=in_path)
    types = {f.name: PATH_TYPES[f.kind] for f in kind.fields if f.name in in_path}

    def view(request: HttpRequest, log: str, payload: SignedFields, **path: Any) -> Status[dict[str, Any]]:
        values = {**payload.dict(exclude={"author", "nonce", "asig", "vis"}), **path}
        signed, body = acts.build_signed_act(
            log,
            kind=kind,
            values=values,
            author=payload.author,
            nonce=payload.nonce,
            asig=payload.asig,
            vis=payload.vis,
        )
        if kind.by_non_member:
            _count_anonymous(request, AnonymousWrite.NON_MEMBER_ACT, signed.act)
        answer = acts.check_take_act(log, signed_act=signed, body=body, address=client_address(request))
        return taken(answer)

    # Ninja reads parameters from the signature: give each endpoint its own path fields and body schema.
    parameters = [
        inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=HttpRequest),
        inspect.Parameter("log", inspect.Parameter.KEYWORD_ONLY, annotation=Path[Log]),
        *(
            inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=Path[types[name]])  # type: ignore[valid-type,misc]
            for name in in_path
        ),
        inspect.Parameter("payload", inspect.Parameter.KEYWORD_ONLY, annotation=schema),
    ]
    view.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    view.__name__ = "act_" + kind.name.replace("-", "_")
    return view


def add_act_routes(routes: tuple[tuple[str, str, tuple[str, ...]], ...]) -> None:
    """Register one typed POST endpoint per (kind, path, fields taken from the path)."""
    for name, path, in_path in routes:
        kind = catalogue.ACT_KINDS[name]
        router.add_api_operation(
            path,
            ["POST"],
            _act_view(kind, in_path),
            response=WAITING_RESPONSES if kind.waits else RESPONSES,
            operation_id=f"act_{name.replace('-', '_')}",
            summary=f"{kind.summary} ({kind.type})",
            tags=["acts"],
        )


add_act_routes(ROUTES)


@router.post("/assemblies/{log}/acts", response=WAITING_RESPONSES, operation_id="act_signed", tags=["acts"])
def submit_signed_act(request: HttpRequest, log: Path[Log], payload: SignedActIn) -> Status[dict[str, Any]]:
    """Append an act the client built and signed whole: {act, body (canonical text), asig}; a stranger's
    act that waits outside the record (applying to join, claiming a key) is answered 202."""
    signed, body = acts.parse_signed_act(
        payload.act, body_text=payload.body, asig=payload.asig, words_text=payload.words
    )
    if signed.act.type in catalogue.NON_MEMBER_TYPES:
        _count_anonymous(request, AnonymousWrite.NON_MEMBER_ACT, signed.act)
    answer = acts.check_take_act(log, signed_act=signed, body=body, address=client_address(request))
    return taken(answer)


@router.post("/assemblies", response=RESPONSES, operation_id="found_assembly", tags=["acts"])
def found_assembly(request: HttpRequest, payload: FoundingIn) -> Status[dict[str, Any]]:
    """Found an assembly: the founding content with every founder's endorsement, and the act's signature."""
    content = build_founding_content(
        payload.name,
        founded_at=payload.founded_at,
        charter=payload.charter,
        founders=[(f.key, f.household) for f in payload.founders],
        cargos=[(c.cargo, c.holder, c.until) for c in payload.cargos],
    )
    signed, body = acts.build_founding_act(
        content,
        endorsements=[{"key": e.key, "sig": e.sig} for e in payload.endorsements],
        author=payload.author,
        nonce=payload.nonce,
        asig=payload.asig,
    )
    _count_anonymous(request, AnonymousWrite.FOUNDING, signed.act)
    return receipt_out(acts.check_found_signed(signed_act=signed, body=body))
