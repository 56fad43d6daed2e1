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
from ayllu.actions.rate_limits import AnonymousWrite, check_anonymous_write
from ayllu.core.charter.founding import build_founding_content
from ayllu.core.ledger.checkpoints import Receipt

from .errors import ERROR_STATUSES, ErrorOut
from .router import router
from .schemas import PATH_TYPES, FoundingIn, Log, ReceiptOut, SignedActIn, SignedFields, act_request_schema

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
)

RESPONSES: dict[int, Any] = {201: ReceiptOut, **dict.fromkeys(ERROR_STATUSES, ErrorOut)}


def receipt_out(receipt: Receipt) -> dict[str, Any]:
    return {
        "log": receipt.log,
        "seq": receipt.seq,
        "entry": receipt.entry,
        "time": receipt.time,
        "node": receipt.node,
        "receipt": receipt.raw.decode("utf-8"),
    }


def _count_anonymous(request: HttpRequest, kind: AnonymousWrite) -> None:
    """Count a write anyone may make against the client's address (a reverse proxy must set REMOTE_ADDR)."""
    check_anonymous_write(kind, address=str(request.META.get("REMOTE_ADDR", "")))


def _act_view(kind: catalogue.ActKind, in_path: tuple[str, ...]) -> Callable[..., Status[dict[str, Any]]]:
    schema = act_request_schema(kind, in_path=in_path)
    types = {f.name: PATH_TYPES[f.kind] for f in kind.fields if f.name in in_path}

    def view(request: HttpRequest, log: str, payload: SignedFields, **path: Any) -> Status[dict[str, Any]]:
        if kind.by_non_member:
            _count_anonymous(request, AnonymousWrite.NON_MEMBER_ACT)
        values = {**payload.dict(exclude={"author", "nonce", "asig", "vis"}), **path}
        receipt = acts.check_submit_act(
            log,
            kind=kind,
            values=values,
            author=payload.author,
            nonce=payload.nonce,
            asig=payload.asig,
            vis=payload.vis,
        )
        return Status(201, receipt_out(receipt))

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
            response=RESPONSES,
            operation_id=f"act_{name.replace('-', '_')}",
            summary=f"{kind.summary} ({kind.type})",
            tags=["acts"],
        )


add_act_routes(ROUTES)


@router.post("/assemblies/{log}/acts", response=RESPONSES, operation_id="act_signed", tags=["acts"])
def submit_signed_act(request: HttpRequest, log: Path[Log], payload: SignedActIn) -> Status[dict[str, Any]]:
    """Append an act the client built and signed whole: {act, body (canonical text), asig}."""
    kind = payload.act.get("type")
    if isinstance(kind, str) and kind in catalogue.NON_MEMBER_TYPES:
        _count_anonymous(request, AnonymousWrite.NON_MEMBER_ACT)
    receipt = acts.check_submit_signed_act(log, act=payload.act, body_text=payload.body, asig=payload.asig)
    return Status(201, receipt_out(receipt))


@router.post("/assemblies", response=RESPONSES, operation_id="found_assembly", tags=["acts"])
def found_assembly(request: HttpRequest, payload: FoundingIn) -> Status[dict[str, Any]]:
    """Found an assembly: the founding content with every founder's endorsement, and the act's signature."""
    _count_anonymous(request, AnonymousWrite.FOUNDING)
    content = build_founding_content(
        payload.name,
        founded_at=payload.founded_at,
        charter=payload.charter,
        founders=[(f.key, f.household) for f in payload.founders],
        cargos=[(c.cargo, c.holder, c.until) for c in payload.cargos],
    )
    receipt = acts.check_found_assembly(
        content,
        endorsements=[{"key": e.key, "sig": e.sig} for e in payload.endorsements],
        author=payload.author,
        nonce=payload.nonce,
        asig=payload.asig,
    )
    return Status(201, receipt_out(receipt))
