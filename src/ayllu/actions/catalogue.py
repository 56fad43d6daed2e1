"""The catalogue of an assembly's acts: each act's name, record type, typed fields and body builder.

The API and the CLI are both built from `ACT_KINDS`, so they offer the same acts with the same fields,
and a client builds the same canonical body the node rebuilds (core/assembly/commands.py builders).
This module needs no database, so the CLI can build its argument parser from it before Django is set up.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ayllu.core.assembly import commands
from ayllu.core.assembly.acts import Act, ActForm, FieldSpec, Kind, Signer, form_field
from ayllu.core.assembly.replay import ACT_KINDS as ACT_CLASSES
from ayllu.core.errors import MalformedBody
from ayllu.core.ledger.keys import Keypair
from ayllu.core.ledger.record import Body, SignedAct, make_body, sign_act

# The kinds of field an act may carry; the API and the CLI type them from these (core/assembly/acts.py).
INT_ID, TIME, TITLE, TEXT, NAME, KEY = Kind.INT_ID, Kind.TIME, Kind.TITLE, Kind.TEXT, Kind.NAME, Kind.KEY
CHOICE, OPTIONS, OBJECT, NUMBER, HEX, LIST = (
    Kind.CHOICE,
    Kind.OPTIONS,
    Kind.OBJECT,
    Kind.NUMBER,
    Kind.HEX,
    Kind.LIST,
)


def Field(name: str, kind: Kind, required: bool = True, help: str = "") -> FieldSpec:
    """A field of an act not yet defined by its own class (core/assembly/acts.py)."""
    return form_field(name, kind, required=required, help=help)


@dataclass(frozen=True, slots=True)
class ActKind:
    """One act of the catalogue: its name for people and tools, its record type, fields and builder."""

    name: str
    type: str
    fields: tuple[FieldSpec, ...]
    build: Callable[..., dict[str, Any]]
    summary: str
    # Acts whose author is not (yet, or no longer with that key) a member.
    by_non_member: bool = False

    def body(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """The act's body content from its field values (unset optional fields left out)."""
        given = {f.name: values[f.name] for f in self.fields if values.get(f.name) is not None}
        return self.build(**given)


def _from_class(cls: type[Act]) -> list[ActKind]:
    """The catalogue's entries for one act class: the act itself, and its other forms."""

    def build(**values: Any) -> dict[str, Any]:
        # Only the body's shape: the node parses and checks it when it replays the act.
        return cls(**values).content()

    by_non_member = cls.signer is Signer.NON_MEMBER
    kinds = [ActKind(cls.name, cls.type, cls.fields(), build, cls.summary, by_non_member)]
    for form in cls.forms:

        def build_form(form: ActForm = form, **values: Any) -> dict[str, Any]:
            return form.build(**values).content()

        kinds.append(ActKind(form.name, cls.type, form.fields, build_form, form.summary, by_non_member))
    return kinds


def _kind(
    name: str, type: str, build: Callable[..., dict[str, Any]], summary: str, *fields: FieldSpec
) -> ActKind:
    return ActKind(name, type, fields, build, summary)


# --- cargos, mandates, recall and draws (issue 4; docs/cargos.md) ----------------------------------
CARGO = Field("cargo", NAME, help="the cargo's name")
BODY = Field("body", NAME, help="the other body (federation, council, ...)")
SESSION = Field("session", NAME, help="the session of that body")
DRAW = Field("draw", INT_ID, help="the draw's id")

ISSUE_4_KINDS = (
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
        *(kind for cls in ACT_CLASSES.values() for kind in _from_class(cls)),
        *ISSUE_4_KINDS,
    )
}


# The record types a key that is not a member's may sign (applying to join, claiming a lost key).
NON_MEMBER_TYPES = frozenset(kind.type for kind in ACT_KINDS.values() if kind.by_non_member)


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
