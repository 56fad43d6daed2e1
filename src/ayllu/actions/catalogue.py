"""The catalogue of an assembly's acts: each act's name, record type, typed fields and body builder.

The API and the CLI are both built from `ACT_KINDS`, so they offer the same acts with the same fields,
and a client builds the same canonical body the node rebuilds (core/assembly/commands.py builders).
This module needs no database, so the CLI can build its argument parser from it before Django is set up.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ayllu.core.assembly import commands
from ayllu.core.errors import MalformedBody
from ayllu.core.ledger.keys import Keypair
from ayllu.core.ledger.record import Body, SignedAct, make_body, sign_act

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
NUMBER = "number"  # a whole number (a burden, a count of days or seats)
HEX = "hex"  # 32 bytes written as 64 hex digits (a commitment, a secret, a hash)
LIST = "list"  # a JSON list (a draw's quotas, lottery, beacon chain)


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

# --- cargos, mandates, recall and draws (issue 4; docs/cargos.md) ----------------------------------
CARGO = Field("cargo", NAME, help="the cargo's name")
BODY = Field("body", NAME, help="the other body (federation, council, ...)")
SESSION = Field("session", NAME, help="the session of that body")
DRAW = Field("draw", INT_ID, help="the draw's id")
PROPOSAL_TEXTS = (Field("title", TITLE), Field("text", TEXT))

ISSUE_4_KINDS = (
    _kind(
        "propose-cargo",
        "proposal.tabled",
        commands.build_cargo_creation_body,
        "Propose a cargo filled by turn (matter cargo_creation)",
        *PROPOSAL_TEXTS,
        CARGO,
        Field("powers", OPTIONS, help="convene_meetings, keep_minutes, ..., represent_in:<body>"),
        Field("burden", NUMBER, help="its weight in the turn order, 1..1000"),
        Field("term_days", NUMBER),
        Field("seats", NUMBER, required=False, help="1, or 2 for paired holders"),
    ),
    _kind(
        "propose-exemption",
        "proposal.tabled",
        commands.build_exemption_body,
        "Propose an exemption from turns (matter exemption)",
        *PROPOSAL_TEXTS,
        Field("start", TIME),
        Field("end", TIME),
        Field("reason", TITLE),
        Field("household", NAME, required=False, help="a household, or"),
        Field("member", KEY, required=False, help="one member"),
    ),
    _kind(
        "propose-mandate",
        "proposal.tabled",
        commands.build_mandate_body,
        "Propose the assembly's position on a question of another body (matter mandate)",
        *PROPOSAL_TEXTS,
        BODY,
        Field("question", TITLE, help="the other body's question"),
        Field("position", TITLE, help="the choice the delegate must carry"),
    ),
    _kind("take-turn", "cargo.turn_taken", commands.build_cargo_ref_body, "Take my household's seat", CARGO),
    _kind(
        "propose-swap",
        "cargo.swap_proposed",
        commands.build_swap_proposed_body,
        "Offer another household to swap turns in a cargo",
        CARGO,
        Field("household", NAME, help="the other household"),
    ),
    _kind(
        "accept-swap",
        "cargo.swap_accepted",
        commands.build_swap_accepted_body,
        "Accept a swap of turns (a member of the other household)",
        Field("swap", INT_ID),
    ),
    _kind(
        "announce",
        "announcement.published",
        commands.build_notice_body,
        "Publish an announcement in the assembly's name (publish_announcements)",
        Field("text", TEXT),
    ),
    _kind(
        "request-mandate",
        "mandate.requested",
        commands.build_mandate_request_body,
        "Ask the assembly for a mandate (a delegate)",
        BODY,
        Field("question", TITLE),
        Field("text", TEXT, required=False),
    ),
    _kind(
        "delegate-vote",
        "delegate.voted",
        commands.build_delegate_vote_body,
        "Vote in another body as the assembly's delegate, bound by its mandate",
        BODY,
        SESSION,
        Field("question", TITLE),
        Field("choice", TITLE, help="the mandate's position, or abstain"),
    ),
    _kind(
        "report-vote",
        "delegate.vote_reported",
        commands.build_vote_report_body,
        "Report a delegate's vote cast in another body",
        BODY,
        SESSION,
        Field("question", TITLE),
        Field("choice", TITLE),
        Field("delegate", KEY),
    ),
    _kind(
        "hold-session",
        "delegate.session_held",
        commands.build_session_body,
        "Record that another body met (a report is then due)",
        BODY,
        SESSION,
    ),
    _kind(
        "file-report",
        "delegate.report_filed",
        commands.build_session_body,
        "File the delegate's report on a session",
        BODY,
        SESSION,
        Field("text", TEXT),
    ),
    _kind(
        "petition-recall",
        "recall.petitioned",
        commands.build_recall_petition_body,
        "Open a recall petition against a cargo holder",
        CARGO,
        Field("member", KEY, help="the holder"),
        Field("reason", TEXT),
    ),
    _kind(
        "sign-recall",
        "recall.signed",
        commands.build_recall_signature_body,
        "Sign a recall petition",
        Field("petition", INT_ID),
    ),
    _kind(
        "prepare-draw",
        "draw.prepared",
        commands.build_draw_prepared_body,
        "Record a draw by lot: pool, quotas, the LEXIMIN lottery and its hash",
        Field("purpose", TITLE),
        Field("pool", OBJECT, help="member id -> {category: feature}"),
        Field("quotas", LIST, help="[{category, feature, min, max}]"),
        Field("panel_size", NUMBER),
        Field("lottery", LIST, help="runs [[count, [[type index, seats], ...]], ...]"),
        Field("lottery_hash", HEX),
        Field("commit_until", TIME),
        Field("reveal_until", TIME),
        Field("beacon_chain", LIST, help="[{source, round}] named in advance"),
        Field("beacon_after", TIME),
        Field("largest_shift_ppm", NUMBER, required=False, help="the rounding's largest shift, millionths"),
        Field("lowest_chance_ppm", NUMBER, required=False, help="the list's lowest chance, millionths"),
    ),
    _kind(
        "commit-draw",
        "draw.committed",
        commands.build_draw_commit_body,
        "Commit to a secret for a draw",
        DRAW,
        Field("commitment", HEX),
    ),
    _kind(
        "reveal-draw",
        "draw.revealed",
        commands.build_draw_reveal_body,
        "Reveal one's secret for a draw",
        DRAW,
        Field("secret", HEX),
    ),
    _kind(
        "complete-draw",
        "draw.completed",
        commands.build_draw_completion_body,
        "Complete a draw with the beacon value: the index and panel anyone recomputes",
        DRAW,
        Field("index", NUMBER),
        Field("panel", OPTIONS, help="the chosen members' ids"),
        Field("beacon", OBJECT, help="{source, round, value}"),
    ),
)

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
        *ISSUE_4_KINDS,
    )
}


def build_act_body(kind: ActKind, values: Mapping[str, Any], *, vis: str = "public") -> Body:
    """The canonical body of an act from its field values; raise MalformedBody when it cannot be one."""
    try:
        content = kind.body(values)
    except (TypeError, ValueError) as exc:
        raise MalformedBody(reason="fields", kind=kind.name, problem=str(exc)) from None
    return make_body(content, vis=vis, type=kind.type)


def sign_kind(
    keypair: Keypair, log: str, *, kind: ActKind, values: Mapping[str, Any], nonce: str, vis: str = "public"
) -> tuple[SignedAct, Body]:
    """Sign an act of the catalogue as `keypair` (on the member's own machine: the CLI, tests, benches)."""
    body = build_act_body(kind, values, vis=vis)
    return sign_act(keypair, log=log, type=kind.type, body=body, nonce=nonce), body
