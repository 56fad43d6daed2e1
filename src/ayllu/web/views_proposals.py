"""Proposals: the list, the form to table one, and one proposal with everything said and decided on it.

A proposal's page shows its text, amendments, comments, objections with their answers, and each
question: the method, the open ballots so far, and once closed the outcome in words (method, eligible
members, participation, quorum, tallies, reasons). The forms on it sign their act on the device:
comment, amend, accept an amendment, object, answer or withdraw an objection, open and close a question,
and vote by the question's method (ranked choice with numbered selects, so it works on a phone).
"""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ayllu import effect_words
from ayllu.core.charter.rules import DAY_MS
from ayllu.core.errors import DomainError
from ayllu.queries import assembly as q
from ayllu.queries import pages
from ayllu.queries import proposals as proposal_acts
from ayllu.queries.replayed import one_head
from ayllu.web.address_words import query_value

from . import charter_editor, page_cache
from .reader import erasable_for, for_reader
from .views_assembly import assembly_context, not_found, reader_key

# Proposals a member may table from the general form: the other matters carry an effect (admit
# someone, amend the charter, ...) and have forms of their own (views_matters.py).
TABLED_HERE = ("ordinary", "choice")
MATTER_FORMS = (
    "admission",
    "charter_amendment",
    "suspension",
    "reinstatement",
    "key_replacement",
    "cargo_creation",
    "cargo_assignment",
    "erasure",
    "resolution",
    "ratification",
)
OPTION_FIELDS = 5
# A proposal's statuses once it is closed: decided by the assembly, or closed without a decision. The rules
# still take comments on it (comment.posted): notes after it, such as how a decision is carried out.
DECIDED = frozenset({"adopted", "rejected", "decided"})
CLOSED_UNDECIDED = frozenset({"withdrawn", "lapsed"})
# A question opened between meetings gets, by default, this much more than the charter's minimum.
DEADLINE_MARGIN_MS = 60 * 60 * 1000
# A federation's member assemblies each decide their delegates' mandate by their own method (a meeting,
# a vote open for days) before the delegates can cast their voice: a federation's question is suggested
# open for a week, or for the charter's minimum (and the margin) where that is longer.
FEDERATION_QUESTION_MS = 7 * DAY_MS


def default_deadline(now: int, *, voting_ms: int, federation: bool) -> int:
    """The deadline the form to open a question suggests (the reader may choose another)."""
    least = now + voting_ms + DEADLINE_MARGIN_MS
    return max(least, now + FEDERATION_QUESTION_MS) if federation else least


@require_GET
@one_head()
@page_cache.conditional_page("proposals")
def proposals(request: HttpRequest, log: str) -> HttpResponse:
    """Every proposal, those still open first, newest first."""
    context = assembly_context(request, log)
    is_open = {"deliberation", "voting"}
    listed = sorted(
        for_reader(q.list_proposals(log), context["hidden"]), key=lambda p: (p.status not in is_open, -p.id)
    )
    context.update(section="proposals", proposals=listed)
    return render(request, "web/assembly/proposals.html", context)


def meeting_for_tabling(log: str, request: HttpRequest, *, hidden: frozenset[int]) -> q.MeetingRead | None:
    """The open meeting named by `?meeting=<id>` to table in, or None (404 for an unknown one)."""
    raw = query_value(request.GET, "meeting")
    if not raw.isdigit():
        return None
    try:
        meeting = q.get_meeting(log, int(raw))
    except DomainError as error:
        raise not_found(error) from None
    return for_reader(meeting, hidden) if meeting.open else None


def may_table(
    context: dict[str, Any],
    *,
    matter: str,
    meeting: q.MeetingRead | None,
    effect: dict[str, Any] | None = None,
    key: str | None = None,
) -> bool:
    """Whether the core would accept, from this page's reader now (signing with `key`, their own login's
    by default), the proposal the page's form tables."""
    return proposal_acts.may_table(
        context["log"],
        key=reader_key(context) if key is None else key,
        matter=matter,
        now=context["now"],
        effect=effect,
        meeting=meeting.id if meeting else None,
    )


@require_GET
@one_head()
def new_proposal(request: HttpRequest, log: str) -> HttpResponse:
    """The form to table a proposal (an ordinary matter, or a choice among options); in a meeting with
    `?meeting=<id>`."""
    context = assembly_context(request, log)
    charter = q.get_charter(log).data
    meeting = meeting_for_tabling(log, request, hidden=context["hidden"])
    context.update(
        section="proposals",
        matters=TABLED_HERE,
        option_fields=range(1, OPTION_FIELDS + 1),
        meeting=meeting,
        may_table=may_table(context, matter="ordinary", meeting=meeting),
        rules={m: charter_editor.matter_rule(charter, m) for m in TABLED_HERE},
        matter_forms=[
            {"matter": m, "rule": charter_editor.matter_rule(charter, m, tabling=False)}
            for m in MATTER_FORMS
            # only a federation adopts resolutions, and it has no cargos by turn (decision 0033)
            if m != ("cargo_creation" if "federation" in charter else "resolution")
        ],
    )
    return render(request, "web/assembly/proposal_new.html", context)


@require_GET
@one_head()
@page_cache.conditional_page("proposal")
def proposal(request: HttpRequest, log: str, proposal_id: int) -> HttpResponse:
    """One proposal: text, amendments, objections and answers, comments, questions and outcomes."""
    context = assembly_context(request, log)
    try:
        described = q.get_proposal(log, proposal_id)
        place = pages.get_proposal_place(log, proposal_id)
        questions = [q.get_question(log, x.id) for x in described.questions]
        meeting = q.get_meeting(log, place.meeting) if place.meeting else None
    except DomainError as error:
        raise not_found(error) from None
    described, questions, meeting = for_reader((described, questions, meeting), context["hidden"])
    me = context["me"]
    open_question = next((x for x in questions if x.open), None)
    objections = described.objections
    charter = q.get_charter(log).data
    changes = None
    if described.matter == "charter_amendment" and described.status in ("deliberation", "voting"):
        changes = charter_editor.charter_changes(
            charter, pages.get_proposal_effect(log, proposal_id).charter or {}
        )
    context.update(
        section="proposals",
        proposal=described,
        charter_changes=changes,
        effect_words=effect_words.proposals_in_words(log, [(described.id, described.matter)], context).get(
            proposal_id, []
        ),
        cosigners_needed=pages.get_tabling_cosigners(log),
        place=place,
        questions=questions,
        closed_questions=[x for x in questions if not x.open],
        open_question=open_question,
        meeting=meeting,
        # The forms shown: what the core would accept from this reader now.
        acts=proposal_acts.get_proposal_acts(log, proposal_id, key=reader_key(context), now=context["now"]),
        is_author=bool(me) and me == described.author,
        in_deliberation=described.status == "deliberation",
        decided=described.status in DECIDED,
        closed_undecided=described.status in CLOSED_UNDECIDED,
        # the entry that decided it (its last question's close): the comments after it are marked so
        decided_at=max((x.closed_seq for x in described.questions), default=0)
        if described.status in DECIDED
        else 0,
        objected_this_round=any(o.member == me and o.round == place.round for o in objections),
        ranks=range(1, len(described.options or ()) + 1),
        default_deadline=default_deadline(
            context["now"], voting_ms=charter["deliberation"]["voting_ms"], federation="federation" in charter
        ),
        federation_question="federation" in charter,
        min_voting_ms=charter["deliberation"]["voting_ms"],
        # Its own words and those said on it that a member may propose erasing (the record page's link).
        erasable=erasable_for(
            request,
            log,
            [proposal_id]
            + [o.id for o in objections]
            + [a.id for a in described.amendments]
            + [c.id for c in described.comments],
            now=context["now"],
        )
        if me
        else frozenset(),
    )
    return render(request, "web/assembly/proposal.html", context)
