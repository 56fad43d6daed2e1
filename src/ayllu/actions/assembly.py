"""Writes of an assembly's acts: every act of the catalogue, signed on the member's device, appended here.

The node never signs for a member. A client sends the act's typed fields with the author's key, a
nonce and the signature; `check_submit_act` builds the canonical body from the fields (from the act
kind's class, as a client does), rebuilds the act the author must have signed, and hands it
to `do_append`, which checks the signature, takes the record's write lock, replays the assembly's rules
on the current state and appends atomically. Nothing is written when any of that fails. The same signed
act sent again (a client unsure its first request arrived) gets the receipt of the entry holding it.

The catalogue of acts (`ACT_KINDS`, one `ActKind` per act) is in catalogue.py.
"""

from collections.abc import Mapping
from typing import Any, NotRequired, TypedDict, Unpack

from ayllu.core.charter.founding import FOUNDED, build_founding_body
from ayllu.core.errors import DomainError, DuplicateAct, MalformedBody, MalformedEntry
from ayllu.core.federations.joining import JOIN, LEAVE, membership_question
from ayllu.core.federations.voting import BALLOT_CODES
from ayllu.core.ledger.canonical import parse_canonical
from ayllu.core.ledger.keys import HEX_KEY_LENGTH, is_hex
from ayllu.core.ledger.record import (
    ACT_FIELDS,
    ACT_FORMATS,
    RULE_VIS,
    Act,
    Body,
    SignedAct,
    act_for,
    check_act_fields,
    log_id_for,
)
from ayllu.core.ledger.succession import RECORD_MOVED
from ayllu.core.proposals.tabling import ProposalTabled

from .catalogue import ActKind, build_act_body
from .record import Submitted, do_append_many, do_submit, do_submit_founding
from .record.append import WAITING_TYPES, taken_in_by
from .replication import do_check_replayable
from .waiting_room import Waiting, check_wait_act, waiting_taken_in


def rebuild_act(log: str, *, kind: ActKind, body: Body, author: str, nonce: str) -> Act:
    """The act the author must have signed: log and type fixed by the caller, body by its hash."""
    act = act_for(log=log, type=kind.type, author=author, body=body, nonce=nonce)
    check_act_fields(act)
    return act


class SentAct(TypedDict):
    """An act as a client sends it: the kind, its typed fields, and the author's key, nonce and signature
    (`vis`: the body's visibility, public unless told)."""

    kind: ActKind
    values: Mapping[str, Any]
    author: str
    nonce: str
    asig: str
    vis: NotRequired[str]


def check_submit_act(log: str, *, address: str = "", **sent: Unpack[SentAct]) -> Submitted | Waiting:
    """Take an act from its typed fields and the author's signature: the node's receipt, or, for a
    stranger's act that waits outside the record, where it waits."""
    signed, body = build_signed_act(log, **sent)
    return check_take_act(log, signed_act=signed, body=body, address=address)


def build_signed_act(log: str, **sent: Unpack[SentAct]) -> tuple[SignedAct, Body]:
    """The act built from its typed fields, with the author's signature (not checked yet), and its body."""
    kind = sent["kind"]
    body = build_act_body(kind, sent["values"], vis=sent.get("vis", "public"))
    act = rebuild_act(log, kind=kind, body=body, author=sent["author"], nonce=sent["nonce"])
    return SignedAct(act, sent["asig"]), body


def check_take_act(log: str, *, signed_act: SignedAct, body: Body, address: str = "") -> Submitted | Waiting:
    """Keep a stranger's act in the waiting room, or append a member's act (decision 0011).

    A member's act that names a stranger with an act waiting (a sponsorship of the applicant) appends
    that act first, as the stranger signed it, and then its own, in one transaction. The same act sent
    again answers with the receipt its first submission got (`Submitted.duplicate`). Moving the
    record here is refused while this node lacks bodies its rules read: it could not seal after it, and
    a proposed mandate a federation's vote could never cast is refused before it is written.
    """
    if signed_act.act.type == RECORD_MOVED:
        do_check_replayable(log)
    if signed_act.act.type == ProposalTabled.type:
        check_mandate_on_ballot(body)
    if signed_act.act.type in WAITING_TYPES:
        return check_wait_act(log, signed_act=signed_act, body=body, address=address)
    return do_append_taking_in(log, signed_act=signed_act, body=body)


MEMBERSHIP_QUESTIONS = {membership_question(JOIN), membership_question(LEAVE)}


class MandateOffBallot(DomainError):
    """A proposed mandate on a federation's question that no delegate could ever cast there (the record
    would take it: a mandate may name any body's question in any words). Nothing is written."""

    code = "mandate_off_ballot"
    status = 400


class MandateNotAQuestionNumber(MandateOffBallot):
    """The question is not the federation question's number in digits (detail: `question`)."""

    code = "mandate_not_a_question_number"


class MandateNotABallotCode(MandateOffBallot):
    """The position is not a ballot code the federation's vote reads, such as «sí» typed for `yes`
    (detail: `position`, and the `codes` it reads)."""

    code = "mandate_not_a_ballot_code"


def check_mandate_on_ballot(body: Body) -> None:
    """Refuse a tabled mandate whose body is a federation's log id (64 hex) unless its question is a
    number and its position one of the federation's ballot codes; a mandate to join or leave
    (`membership:join|leave`) and any other proposal pass."""
    content = body.content()
    effect = content.get("effect")
    if content.get("matter") != "mandate" or not isinstance(effect, dict):
        return
    federation, question, position = effect.get("body"), effect.get("question"), effect.get("position")
    if not isinstance(federation, str) or not is_hex(federation, HEX_KEY_LENGTH):
        return
    if question in MEMBERSHIP_QUESTIONS:  # joining or leaving, decided by a mandate (decision 0029)
        return
    if not isinstance(question, str) or not question.isdigit():
        raise MandateNotAQuestionNumber(question=str(question)[:80])
    if position not in BALLOT_CODES:
        raise MandateNotABallotCode(position=str(position)[:80], codes=", ".join(BALLOT_CODES))


def do_append_taking_in(log: str, *, signed_act: SignedAct, body: Body) -> Submitted:
    """Append a member's act after the waiting acts it takes in; return what the member's act came to."""
    waiting = waiting_taken_in(log, taken_in_by(signed_act.act, body))
    if not waiting:
        return do_submit(log, signed_act=signed_act, body=body)
    try:
        return Submitted(do_append_many(log, items=[*waiting, (signed_act, body)]))
    except DuplicateAct:
        # Another member took them in a moment ago (the member's act goes on its own), or this very
        # act is a resend: `do_submit` appends it, or answers with the receipt it got the first time.
        return do_submit(log, signed_act=signed_act, body=body)


def parse_signed_act(
    act: Mapping[str, Any], *, body_text: str, asig: str, words_text: str | None = None
) -> tuple[SignedAct, Body]:
    """A signed act as a client sends it whole: the act's fields, the canonical body text, the signature,
    and for a format-2 act the canonical text of its words (the body is then its public rule data)."""
    version = act.get("v")
    if set(act) != set(ACT_FIELDS) or version not in ACT_FORMATS or isinstance(version, bool):
        raise MalformedEntry(field="act")
    fields = {name: act[name] for name in ACT_FIELDS if name != "v"}
    for name, value in fields.items():
        if not isinstance(value, str):
            raise MalformedEntry(field=name)
    signed = SignedAct(Act(**fields, v=version), asig)
    check_act_fields(signed.act)
    if not signed.act.split:
        return signed, _canonical_body(body_text, vis=fields["vis"])
    if words_text is None:
        raise MalformedBody(reason="words_missing")
    words = _canonical_body(words_text, vis=fields["vis"])
    return signed, Body(_canonical_body(body_text, vis=RULE_VIS).raw, RULE_VIS, words)


def _canonical_body(text: str, *, vis: str) -> Body:
    try:
        raw = text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: no UTF-8 text, so no canonical body
        raise MalformedBody(reason="not_utf8") from None
    if not isinstance(parse_canonical(raw), dict):
        raise MalformedBody(reason="not_an_object")
    return Body(raw, vis)


def check_submit_signed_act(
    log: str,
    *,
    act: Mapping[str, Any],
    body_text: str,
    asig: str,
    words_text: str | None = None,
    address: str = "",
) -> Submitted | Waiting:
    """Take an act a client built and signed whole (any type of the catalogue), as `check_take_act`."""
    signed, body = parse_signed_act(act, body_text=body_text, asig=asig, words_text=words_text)
    return check_take_act(log, signed_act=signed, body=body, address=address)


def check_submit_as_sent(
    log: str, *, signed: SignedAct, body: Body, address: str = ""
) -> Submitted | Waiting:
    """Take an act signed in this process (the CLI) as a client sends one: its act, body and words as
    text, through the parser the API uses (`check_submit_signed_act`)."""
    return check_submit_signed_act(
        log,
        act=signed.act.as_json(),
        body_text=body.raw.decode("utf-8"),
        asig=signed.asig,
        words_text=None if body.words is None else body.words.raw.decode("utf-8"),
        address=address,
    )


def check_found_assembly(
    content: dict[str, Any], *, endorsements: list[dict[str, str]], author: str, nonce: str, asig: str
) -> Submitted:
    """Found an assembly from its founding content, every founder's endorsement and the author's act."""
    signed, body = build_founding_act(
        content, endorsements=endorsements, author=author, nonce=nonce, asig=asig
    )
    return do_submit_founding(signed_act=signed, body=body)


def build_founding_act(
    content: dict[str, Any], *, endorsements: list[dict[str, str]], author: str, nonce: str, asig: str
) -> tuple[SignedAct, Body]:
    """The founding act built from its content and endorsements, with the author's signature (not
    checked yet), and its body; the act's log is the new record's id."""
    body = build_founding_body(content, endorsements)
    act = Act(log=log_id_for(body), type=FOUNDED, author=author, vis=body.vis, body=body.hash, nonce=nonce)
    check_act_fields(act)
    return SignedAct(act, asig), body


def check_found_signed(*, signed_act: SignedAct, body: Body) -> Submitted:
    """Found an assembly from a founding act built by `build_founding_act`, as `check_found_assembly`."""
    return do_submit_founding(signed_act=signed_act, body=body)
