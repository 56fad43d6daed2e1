"""Mandates and delegates' reports: per body the assembly is represented in, who represents it now,
the assembly's positions on that body's questions, every vote its delegates cast or were reported to
cast there (flagged when against the mandate or without one), and each session's report or its
overdue flag. Delegates file reports and vote through ayllu from here; any member records a session,
reports a vote, or tables a mandate.
"""

from dataclasses import dataclass, fields

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import Promise
from django.views.decorators.http import require_GET

from ayllu.assembly_words import MANDATE_POSITIONS
from ayllu.core.assembly.words import ReadModel, Said, fields_of, said, shown_to
from ayllu.queries import cargo_forms
from ayllu.queries import cargos as cargo_queries
from ayllu.queries.cargo_forms import BodyForms
from ayllu.queries.federation_votes import (
    BALLOT_CODES,
    FederationMandatesRead,
    get_federation_mandates,
    list_mandate_questions,
)
from ayllu.queries.federations import get_record_names
from ayllu.queries.record import get_entry_texts
from ayllu.queries.replayed import one_head

from . import page_cache
from .reader import for_reader, hidden_from
from .views_assembly import reader_key
from .views_cargos import cargo_context


@dataclass(frozen=True, slots=True)
class QuestionChoice(ReadModel):
    """An open question of a federation as the propose-a-mandate form offers it: the positions that fit
    its method, space-separated ballot codes."""

    question: int
    title: str | None
    positions: str


@dataclass(frozen=True, slots=True)
class MandateChoices(ReadModel):
    """The propose-a-mandate form's choices for a federation: its open questions and the positions that
    fit them, or (`held` False: this node does not hold its record) every ballot code, typed."""

    held: bool
    questions: tuple[QuestionChoice, ...]
    positions: tuple[tuple[str, Promise], ...]
    codes: tuple[tuple[str, Promise], ...]


def _mandate_choices(federation: str, *, now: int) -> MandateChoices:
    """The propose-a-mandate form's choices for a federation: its open questions, titled as the
    federation's record shows them to an outsider, and the positions that fit each one's method; `held`
    False (typed fields, explained) where this node does not hold the federation's record."""
    codes = tuple((c, MANDATE_POSITIONS[c]) for c in BALLOT_CODES)
    questions = list_mandate_questions(federation, now=now)
    if questions is None:
        return MandateChoices(held=False, questions=(), positions=(), codes=codes)
    shown = shown_to(questions, hidden_from(federation, me=""), withheld=None)
    positions = [c for c in BALLOT_CODES if any(c in q.positions for q in shown)]
    return MandateChoices(
        held=True,
        questions=tuple(
            QuestionChoice(question=q.question, title=q.title, positions=" ".join(q.positions)) for q in shown
        ),
        positions=tuple((c, MANDATE_POSITIONS[c]) for c in positions),
        codes=codes,
    )


@dataclass(frozen=True, slots=True)
class SessionOnPage(cargo_queries.SessionRead):
    """A session with its report's words (a `Said` of the report) and whether this reader may file it."""

    report_text: Said | str = ""
    may_report: bool = False


@dataclass(frozen=True, slots=True)
class BodyOnPage(cargo_queries.BodyRead):
    """A body as the mandates page shows it: its name where this node holds its record (a federation),
    our mandates there beside our delegates' votes and the form's choices, and the core's answers: the
    forms this reader's acts would be accepted for."""

    sessions: tuple[SessionOnPage, ...]
    name: str = ""
    federation: FederationMandatesRead | None = None
    mandate_choices: MandateChoices | None = None
    may_request: bool = False
    may_vote: bool = False
    may_hold_session: bool = False
    accredit_until: int = 0
    reportable_delegates: tuple[str, ...] = ()


def _body_on_page(
    body: cargo_queries.BodyRead,
    allowed: BodyForms,
    *,
    name: str,
    federation: FederationMandatesRead | None,
    texts: dict[int, str],
    now: int,
) -> BodyOnPage:
    sessions = tuple(
        SessionOnPage(
            **fields_of(s, cargo_queries.SessionRead),
            # the report's text is the words of `delegate.report_filed`: with a members-only report
            # under a public session, the session is shown and its report marked
            report_text=said(texts.get(s.report, ""), s.report),
            may_report=isinstance(s.session, Said) and s.session.value in allowed.file_report,
        )
        for s in body.sessions
    )
    return BodyOnPage(
        **{f.name: getattr(body, f.name) for f in fields(cargo_queries.BodyRead) if f.name != "sessions"},
        sessions=sessions,
        name=name,
        federation=federation,
        mandate_choices=None if federation is None else _mandate_choices(body.body, now=now),
        may_request=allowed.request_mandate,
        may_vote=allowed.delegate_vote,
        may_hold_session=allowed.hold_session,
        accredit_until=allowed.accredit_until,
        reportable_delegates=tuple(allowed.report_vote_for),
    )


@require_GET
@one_head()
@page_cache.conditional_page("mandates")
def mandates(request: HttpRequest, log: str) -> HttpResponse:
    """Delegates, their mandates, their votes elsewhere (flagged), their reports and overdue flags."""
    context = cargo_context(request, log, "mandates")
    now, key = context["now"], reader_key(context)
    page = cargo_queries.get_mandates_page(log, now=now)
    forms = cargo_forms.get_mandate_forms(log, key=key, now=now)
    texts = get_entry_texts(log, [s.report for b in page.bodies for s in b.sessions if s.report])
    # In a federation this node holds: what we mandated on each question, beside our delegates' votes.
    federations = get_federation_mandates(log, key=key, now=now)
    # a body that is a record this node holds (a federation) is shown by its name, not its log id
    held = get_record_names(b.body for b in page.bodies)
    # The core's answers: the forms this reader's acts would be accepted for, body by body.
    bodies = [
        _body_on_page(
            body,
            forms[body.body],
            name=held.get(body.body, ""),
            federation=federations.get(body.body),
            texts=texts,
            now=now,
        )
        for body in page.bodies
    ]
    # Members-only words (positions, requests, sessions, votes, reports) become the "(members only)"
    # mark for anyone but this assembly's logged-in members; confidential ones for everybody.
    shown = {"bodies": bodies, "overdue": page.overdue, "flagged": page.flagged}
    context.update(for_reader(shown, context["hidden"]))
    return render(request, "web/cargos/mandates.html", context)
