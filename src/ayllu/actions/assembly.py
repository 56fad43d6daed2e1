"""Writes of an assembly's acts: every act of the catalogue, signed on the member's device, appended here.

The node never signs for a member. A client sends the act's typed fields with the author's key, a
nonce and the signature; `check_submit_act` builds the canonical body from the fields (from the act
kind's class, as a client does), rebuilds the act the author must have signed, and hands it
to `do_append`, which checks the signature, takes the record's write lock, replays the assembly's rules
on the current state and appends atomically. Nothing is written when any of that fails.

The catalogue of acts (`ACT_KINDS`, one `ActKind` per act) is in catalogue.py.
"""

from collections.abc import Mapping
from typing import Any

from ayllu.core.charter.founding import FOUNDED, build_founding_body
from ayllu.core.errors import MalformedBody, MalformedEntry
from ayllu.core.ledger.canonical import parse_canonical
from ayllu.core.ledger.checkpoints import Receipt
from ayllu.core.ledger.record import (
    ACT_FIELDS,
    FORMAT_VERSION,
    Act,
    Body,
    SignedAct,
    check_act_fields,
    log_id_for,
)

from .catalogue import ActKind, build_act_body
from .record import do_append, do_found_assembly


def rebuild_act(log: str, *, kind: ActKind, body: Body, author: str, nonce: str) -> Act:
    """The act the author must have signed: log and type fixed by the caller, body by its hash."""
    act = Act(log=log, type=kind.type, author=author, vis=body.vis, body=body.hash, nonce=nonce)
    check_act_fields(act)
    return act


def check_submit_act(
    log: str,
    *,
    kind: ActKind,
    values: Mapping[str, Any],
    author: str,
    nonce: str,
    asig: str,
    vis: str = "public",
) -> Receipt:
    """Append an act from its typed fields and the author's signature; return the node's receipt."""
    body = build_act_body(kind, values, vis=vis)
    act = rebuild_act(log, kind=kind, body=body, author=author, nonce=nonce)
    return do_append(log, signed_act=SignedAct(act, asig), body=body)


def parse_signed_act(act: Mapping[str, Any], *, body_text: str, asig: str) -> tuple[SignedAct, Body]:
    """A signed act as a client sends it whole: the act's fields, the canonical body text, the signature."""
    if set(act) != set(ACT_FIELDS) or act.get("v") != FORMAT_VERSION:
        raise MalformedEntry(field="act")
    fields = {name: act[name] for name in ACT_FIELDS if name != "v"}
    for name, value in fields.items():
        if not isinstance(value, str):
            raise MalformedEntry(field=name)
    signed = SignedAct(Act(**fields), asig)
    check_act_fields(signed.act)
    try:
        raw = body_text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: no UTF-8 text, so no canonical body
        raise MalformedBody(reason="not_utf8") from None
    body = Body(raw, fields["vis"])
    if not isinstance(parse_canonical(body.raw), dict):
        raise MalformedBody(reason="not_an_object")
    return signed, body


def check_submit_signed_act(log: str, *, act: Mapping[str, Any], body_text: str, asig: str) -> Receipt:
    """Append an act a client built and signed whole (any type of the catalogue)."""
    signed, body = parse_signed_act(act, body_text=body_text, asig=asig)
    return do_append(log, signed_act=signed, body=body)


def check_found_assembly(
    content: dict[str, Any], *, endorsements: list[dict[str, str]], author: str, nonce: str, asig: str
) -> Receipt:
    """Found an assembly from its founding content, every founder's endorsement and the author's act."""
    body = build_founding_body(content, endorsements)
    act = Act(log=log_id_for(body), type=FOUNDED, author=author, vis=body.vis, body=body.hash, nonce=nonce)
    check_act_fields(act)
    return do_found_assembly(signed_act=SignedAct(act, asig), body=body)
