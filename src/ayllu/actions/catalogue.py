"""The catalogue of an assembly's acts: each act's name, record type, typed fields and body builder.

The API and the CLI are both built from `ACT_KINDS`, so they offer the same acts with the same fields,
and a client builds the same canonical body the node rebuilds (core/commands.py builders). This module
needs no database, so the CLI can build its argument parser from it before Django is set up.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ayllu.core import commands
from ayllu.core.errors import MalformedBody
from ayllu.core.keys import Keypair
from ayllu.core.record import Body, SignedAct, make_body, sign_act

# The kinds of field an act may carry; the API and the CLI type them from this.
INT_ID = "id"  # the seq of the entry that created an object (>= 1)
TIME = "time"  # milliseconds since the epoch
TITLE = "title"  # a short text (core.bodies.MAX_TITLE)
TEXT = "text"  # a long text (core.bodies.MAX_TEXT)
NAME = "name"  # a household id or a short word (core.bodies.MAX_ID)
KEY = "key"  # a hex public key (a member id)
CHOICE = "choice"  # a ballot: a word, or a list of options
OPTIONS = "options"  # a list of short texts
OBJECT = "object"  # a JSON object (a proposal's effect)


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    kind: str
    required: bool = True
    help: str = ""


@dataclass(frozen=True, slots=True)
class ActKind:
    """One act of the catalogue: its name for people and tools, its record type, fields and builder."""

    name: str
    type: str
    fields: tuple[Field, ...]
    build: Callable[..., dict[str, Any]]
    summary: str
    # Acts whose author is not (yet, or no longer with that key) a member.
    by_non_member: bool = False

    def body(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """The act's body content from its field values (unset optional fields left out)."""
        given = {f.name: values[f.name] for f in self.fields if values.get(f.name) is not None}
        return self.build(**given)


def _kind(
    name: str, type: str, build: Callable[..., dict[str, Any]], summary: str, *fields: Field
) -> ActKind:
    return ActKind(name, type, fields, build, summary)


MEETING = Field("meeting", INT_ID, help="the meeting's id")
PROPOSAL = Field("proposal", INT_ID, help="the proposal's id")
QUESTION = Field("question", INT_ID, help="the question's id")
OBJECTION = Field("objection", INT_ID, help="the objection's id")

ACT_KINDS: dict[str, ActKind] = {
    kind.name: kind
    for kind in (
        _kind("notice", "notice.posted", commands.build_notice_body, "Post a notice", Field("text", TEXT)),
        ActKind(
            "apply",
            "member.applied",
            (Field("household", NAME, help="the household joined"),),
            commands.build_application_body,
            "Apply to join (signed by the applicant's new key)",
            by_non_member=True,
        ),
        _kind(
            "sponsor",
            "member.sponsored",
            commands.build_sponsorship_body,
            "Sponsor an applicant",
            Field("applicant", KEY, help="the applicant's key"),
        ),
        _kind("leave", "member.left", commands.build_empty_body, "Leave the assembly"),
        _kind(
            "rotate-key",
            "member.key_rotated",
            commands.build_key_rotation_body,
            "Move to a new key while holding the old one",
            Field("new_key", KEY),
        ),
        ActKind(
            "claim-key",
            "member.key_claimed",
            (Field("member", KEY, help="the member id the new key claims"),),
            commands.build_key_claim_body,
            "Claim a member's identity with a new key (lost device)",
            by_non_member=True,
        ),
        _kind(
            "vouch-key",
            "member.key_vouched",
            commands.build_key_vouch_body,
            "Vouch for a new key claiming a member's identity",
            Field("key", KEY, help="the claiming key"),
        ),
        _kind(
            "register-household",
            "household.registered",
            commands.build_household_body,
            "Register a new household and move into it",
            Field("household", NAME),
        ),
        _kind(
            "convene",
            "meeting.convened",
            commands.build_meeting_body,
            "Convene a meeting (the convenor)",
            Field("title", TITLE),
            Field("starts", TIME, help="start time, ms since the epoch"),
        ),
        _kind(
            "petition",
            "meeting.petitioned",
            commands.build_petition_body,
            "Start a petition to convene a meeting",
            Field("purpose", TITLE),
        ),
        _kind(
            "sign-petition",
            "meeting.petitioned",
            commands.build_petition_body,
            "Sign a petition to convene a meeting",
            Field("petition", INT_ID),
        ),
        _kind("sign-presence", "presence.signed", commands.build_meeting_ref_body, "Sign presence", MEETING),
        _kind("end-presence", "presence.ended", commands.build_meeting_ref_body, "Leave a meeting", MEETING),
        _kind(
            "add-agenda-item",
            "agenda.item_added",
            commands.build_agenda_item_body,
            "Add an agenda item",
            MEETING,
            Field("kind", NAME, help="proposal | report | discussion"),
            Field("title", TITLE),
            Field("proposal", INT_ID, required=False),
        ),
        _kind("queue", "speaker.queued", commands.build_meeting_ref_body, "Ask for the floor", MEETING),
        _kind(
            "call-speaker",
            "speaker.called",
            commands.build_call_speaker_body,
            "Give the floor (the chair)",
            MEETING,
            Field("member", KEY),
        ),
        _kind(
            "raise-point",
            "point_of_order.raised",
            commands.build_meeting_text_body,
            "Raise a point of order",
            MEETING,
            Field("text", TEXT),
        ),
        _kind(
            "rule-point",
            "point_of_order.ruled",
            commands.build_ruling_body,
            "Rule on a point of order (the chair)",
            MEETING,
            Field("point", INT_ID),
            Field("ruling", TEXT),
        ),
        _kind(
            "add-note",
            "minutes.note_added",
            commands.build_meeting_text_body,
            "Add a note to the minutes (the minute-keeper)",
            MEETING,
            Field("text", TEXT),
        ),
        _kind("close-meeting", "meeting.closed", commands.build_meeting_ref_body, "Close a meeting", MEETING),
        _kind(
            "table",
            "proposal.tabled",
            commands.build_proposal_body,
            "Table a proposal",
            Field("matter", NAME),
            Field("title", TITLE),
            Field("text", TEXT),
            Field("effect", OBJECT, required=False, help="the decision's effect, by matter"),
            Field("options", OPTIONS, required=False, help="options of a choice"),
            Field("meeting", INT_ID, required=False),
        ),
        _kind("cosign", "proposal.cosigned", commands.build_proposal_ref_body, "Cosign a proposal", PROPOSAL),
        _kind(
            "amend",
            "proposal.amended",
            commands.build_amendment_body,
            "Amend a proposal",
            PROPOSAL,
            Field("title", TITLE),
            Field("text", TEXT),
        ),
        _kind(
            "accept-amendment",
            "amendment.accepted",
            commands.build_amendment_acceptance_body,
            "Accept an amendment (the author)",
            PROPOSAL,
            Field("amendment", INT_ID),
        ),
        _kind(
            "withdraw",
            "proposal.withdrawn",
            commands.build_proposal_ref_body,
            "Withdraw a proposal",
            PROPOSAL,
        ),
        _kind(
            "comment",
            "comment.posted",
            commands.build_comment_body,
            "Comment on a proposal",
            PROPOSAL,
            Field("text", TEXT),
        ),
        _kind(
            "object",
            "objection.raised",
            commands.build_objection_body,
            "Raise an objection with a reason",
            PROPOSAL,
            Field("reason", TEXT),
        ),
        _kind(
            "answer-objection",
            "objection.answered",
            commands.build_answer_body,
            "Answer an objection",
            PROPOSAL,
            OBJECTION,
            Field("answer", TEXT),
        ),
        _kind(
            "withdraw-objection",
            "objection.withdrawn",
            commands.build_objection_ref_body,
            "Withdraw one's objection",
            PROPOSAL,
            OBJECTION,
        ),
        _kind(
            "open-question",
            "question.opened",
            commands.build_question_body,
            "Open a question on a proposal",
            PROPOSAL,
            Field("deadline", TIME, required=False, help="between meetings: ms since the epoch"),
        ),
        _kind(
            "vote",
            "vote.cast",
            commands.build_vote_body,
            "Vote on a question",
            QUESTION,
            Field("choice", CHOICE),
            Field("reason", TEXT, required=False),
        ),
        _kind("close-question", "question.closed", commands.build_close_body, "Close a question", QUESTION),
    )
}


def build_act_body(kind: ActKind, values: Mapping[str, Any], *, vis: str = "public") -> Body:
    """The canonical body of an act from its field values; raise MalformedBody when it cannot be one."""
    try:
        content = kind.body(values)
    except (TypeError, ValueError) as exc:
        raise MalformedBody(reason="fields", kind=kind.name, problem=str(exc)) from None
    return make_body(content, vis=vis)


def sign_kind(
    keypair: Keypair, log: str, *, kind: ActKind, values: Mapping[str, Any], nonce: str, vis: str = "public"
) -> tuple[SignedAct, Body]:
    """Sign an act of the catalogue as `keypair` (on the member's own machine: the CLI, tests, benches)."""
    body = build_act_body(kind, values, vis=vis)
    return sign_act(keypair, log=log, type=kind.type, body=body, nonce=nonce), body
