"""Issue 4 through the API: acts on cargos, mandates, recall and draws, and their reads.

The acts are typed endpoints of the catalogue, like every other act (acts.py): the member signs on
their own device, the node checks and replays the rules. The reads come from the replayed record
(`queries.cargos`). Reads that depend on the moment (who holds what, the turn order, overdue reports)
take `at` (ms since the epoch; default: the node's clock), so any moment can be asked about. Words
signed for members only (a mandate's position, a request's text, a session's name, a delegate's vote,
a recall's reason, a draw's purpose, quotas and attributes) are null for anyone but this assembly's
logged-in members, confidential ones for everybody: the reads wrap them in `core.words.Said` and
api/visibility.py shows them; households' names are hidden by `queries.cargo_visibility`.
"""

from dataclasses import asdict, dataclass
from typing import Annotated, Any

from django.http import Http404, HttpRequest
from ninja import Path, Query
from pydantic import Field

from ayllu.core.assembly.words import ReadModel, fields_of
from ayllu.messages import concentration_alert_sentence
from ayllu.queries import cargo_visibility as words
from ayllu.queries import cargos as q
from ayllu.storage import clock

from . import visibility as vis
from .acts import add_act_routes
from .errors import ERROR_STATUSES, ErrorOut
from .router import router
from .schemas import MAX_SAFE_INT, Log, PathId, PathKey, PathName

A = "/assemblies/{log}"
# (kind, path, fields taken from the path), as in acts.ROUTES
CARGO_ROUTES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("propose-cargo", f"{A}/cargos", ()),
    ("propose-exemption", f"{A}/exemptions", ()),
    ("propose-mandate", f"{A}/mandates", ()),
    ("take-turn", f"{A}/cargos/{{cargo}}/turns", ("cargo",)),
    ("propose-swap", f"{A}/cargos/{{cargo}}/swaps", ("cargo",)),
    ("accept-swap", f"{A}/swaps/{{swap}}/acceptance", ("swap",)),
    ("announce", f"{A}/announcements", ()),
    ("request-mandate", f"{A}/mandate-requests", ()),
    ("delegate-vote", f"{A}/delegate-votes", ()),
    ("report-vote", f"{A}/reported-votes", ()),
    ("hold-session", f"{A}/sessions", ()),
    ("file-report", f"{A}/reports", ()),
    ("petition-recall", f"{A}/recalls", ()),
    ("sign-recall", f"{A}/recalls/{{petition}}/signatures", ("petition",)),
    ("prepare-draw", f"{A}/draws", ()),
    ("commit-draw", f"{A}/draws/{{draw}}/commitments", ("draw",)),
    ("reveal-draw", f"{A}/draws/{{draw}}/reveals", ("draw",)),
    ("complete-draw", f"{A}/draws/{{draw}}/completion", ("draw",)),
)
add_act_routes(CARGO_ROUTES)

ERRORS: dict[int, Any] = dict.fromkeys(ERROR_STATUSES, ErrorOut)
At = Annotated[int | None, Field(None, ge=0, le=MAX_SAFE_INT, description="the moment asked about, ms")]
Months = Annotated[int, Field(12, ge=1, le=36, description="how far ahead")]
TAGS = ["cargos"]


RosterMonths = Annotated[
    int, Field(12, ge=1, le=12, description="how far ahead (the roster is solved at once: a year at most)")
]


def _secret_households(request: HttpRequest, log: str) -> frozenset[str]:
    """The households whose names the reader may not read (written for members only, or confidential)."""
    members = vis.get_hidden(request, log).households_of
    return words.secret_households(q.get_households(log), members) if members else frozenset()


def _now(at: int | None) -> int:
    return clock.now_ms() if at is None else at


@dataclass(frozen=True, slots=True)
class ConcentrationAlertOut(q.AlertRead):
    """An alert with its sentence in the request's language."""

    message: str


@dataclass(frozen=True, slots=True)
class ConcentrationOut(ReadModel):
    """Every measure of [start, end), and the alerts the charter's thresholds raise, each with a sentence
    in the request's language."""

    start: int
    end: int
    measures: tuple[q.MeasureRead, ...]
    alerts: tuple[ConcentrationAlertOut, ...]


@router.get(f"{A}/cargos", response={200: list[q.CargoRead], **ERRORS}, tags=TAGS)
def list_cargos(request: HttpRequest, log: Path[Log]) -> list[q.CargoRead]:
    """Every cargo: powers, burden, term (ms), seats, filled by turn or waiting for the assembly."""
    return q.list_cargos(log)


@router.get(f"{A}/holdings", response={200: list[q.HoldingRead], **ERRORS}, tags=TAGS)
def list_holdings(request: HttpRequest, log: Path[Log], at: Query[At] = None) -> list[q.HoldingRead]:
    """Who holds which cargo at `at`, until when, how (founding, turn, decision) and with which powers."""
    return words.hide_households(q.list_holdings(log, now=_now(at)), _secret_households(request, log))


@router.get(f"{A}/turns", response={200: list[q.CargoTurnRead], **ERRORS}, tags=TAGS)
def list_turns(
    request: HttpRequest, log: Path[Log], at: Query[At] = None, months: Query[Months] = 12
) -> list[q.CargoTurnRead]:
    """The turn order ahead: every coming term, who takes it and every household's standing."""
    turns = q.list_turn_order(log, now=_now(at), months=months)
    return words.hide_households(turns, _secret_households(request, log))


@router.get(f"{A}/roster", response={200: q.RosterRead, **ERRORS}, tags=TAGS)
def get_roster(
    request: HttpRequest, log: Path[Log], at: Query[At] = None, months: Query[RosterMonths] = 12
) -> q.RosterRead:
    """The roster planned all at once for every cargo (fewest terms to the assembly, then the fairest
    spread of load), next to the turn order; the turn order decides who serves (docs/rotation.md)."""
    roster = q.get_planned_roster(log, now=_now(at), months=months)
    return words.hide_households(roster, _secret_households(request, log))


@router.get(f"{A}/cargos/{{cargo}}/roster", response={200: q.RosterRead, **ERRORS}, tags=TAGS)
def get_cargo_roster(
    request: HttpRequest,
    log: Path[Log],
    cargo: Path[PathName],
    at: Query[At] = None,
    months: Query[RosterMonths] = 12,
) -> q.RosterRead:
    """The planned roster's terms of one cargo filled by turn (planned with every cargo), next to the
    turn order; 404 `unknown_cargo_name` for a cargo not filled by turn."""
    roster = q.get_planned_roster(log, now=_now(at), months=months, cargo=cargo)
    return words.hide_households(roster, _secret_households(request, log))


@router.get(
    f"{A}/households/{{household}}/turns", response={200: list[q.WhyOurTurnRead], **ERRORS}, tags=TAGS
)
def get_why_our_turn(
    request: HttpRequest,
    log: Path[Log],
    household: Path[PathName],
    at: Query[At] = None,
    months: Query[Months] = 12,
) -> list[q.WhyOurTurnRead]:
    """Why is it our turn: for each coming term, the household's standing and who stands before it."""
    secret = _secret_households(request, log)
    answer = q.get_why_our_turn(log, household=household, now=_now(at), months=months)
    if answer is None or household in secret:
        raise Http404  # a household the reader may not read the name of is not confirmed either
    return words.hide_households(answer, secret)


@router.get(f"{A}/members/{{member}}/powers", response={200: list[q.PowerHeld], **ERRORS}, tags=TAGS)
def list_powers(
    request: HttpRequest, log: Path[Log], member: Path[PathKey], at: Query[At] = None
) -> list[q.PowerHeld]:
    """The powers a member holds at `at`, each with the cargo it comes from."""
    return q.list_powers_of(log, member=member, now=_now(at))


@router.get(f"{A}/recalls", response={200: list[q.RecallPetitionRead], **ERRORS}, tags=TAGS)
def list_recalls(
    request: HttpRequest, log: Path[Log], everything: bool = False
) -> list[q.RecallPetitionRead]:
    """Recall petitions (open ones; `everything` for all): signers, needed, question, status."""
    return vis.shown(q.list_recall_petitions(log, open_only=not everything), vis.get_hidden(request, log))


@router.get(f"{A}/mandates", response={200: q.MandatesRead, **ERRORS}, tags=TAGS)
def list_mandates(request: HttpRequest, log: Path[Log], body: str = "") -> q.MandatesRead:
    """The assembly's mandates per body and question, and delegates' requests for new ones."""
    return vis.shown(q.list_mandates(log, body=body), vis.get_hidden(request, log))


@router.get(f"{A}/sessions", response={200: list[q.SessionRead], **ERRORS}, tags=TAGS)
def list_sessions(
    request: HttpRequest, log: Path[Log], at: Query[At] = None, body: str = ""
) -> list[q.SessionRead]:
    """Sessions of other bodies, their delegates, reports, and whether a report is overdue at `at`."""
    return vis.shown(q.list_sessions(log, now=_now(at), body=body), vis.get_hidden(request, log))


@router.get(f"{A}/report-flags", response={200: list[q.SessionRead], **ERRORS}, tags=TAGS)
def list_report_flags(request: HttpRequest, log: Path[Log], at: Query[At] = None) -> list[q.SessionRead]:
    """Delegates' reports overdue at `at`: flagged to every member."""
    return vis.shown(q.list_report_flags(log, now=_now(at)), vis.get_hidden(request, log))


@router.get(f"{A}/delegate-votes", response={200: list[q.DelegateVoteRead], **ERRORS}, tags=TAGS)
def list_delegate_votes(
    request: HttpRequest, log: Path[Log], flagged: bool = False
) -> list[q.DelegateVoteRead]:
    """Delegates' votes in other bodies with their flags (`contrary_to_mandate`, `without_mandate`)."""
    return vis.shown(q.list_delegate_votes(log, flagged_only=flagged), vis.get_hidden(request, log))


@router.get(f"{A}/draws", response={200: list[q.DrawRead], **ERRORS}, tags=TAGS)
def list_draws(request: HttpRequest, log: Path[Log]) -> list[q.DrawRead]:
    """Every draw with its evidence: lottery hash, commitments, reveals, withheld, seed, index, panel."""
    return vis.shown(q.list_draws(log), vis.get_hidden(request, log))


@router.get(f"{A}/draws/{{draw}}", response={200: q.DrawDetailRead, **ERRORS}, tags=TAGS)
def get_draw(request: HttpRequest, log: Path[Log], draw: Path[PathId]) -> q.DrawDetailRead:
    """One draw: its evidence, the pool with attributes and every pool member's exact chance."""
    return vis.shown(q.get_draw(log, draw), vis.get_hidden(request, log))


@router.get(f"{A}/draws/{{draw}}/evidence", response={200: q.DrawRecomputation, **ERRORS}, tags=TAGS)
def get_draw_evidence(request: HttpRequest, log: Path[Log], draw: Path[PathId]) -> q.DrawRecomputation:
    """What `sortition.recompute_draw` reads: recompute the panel from this answer alone."""
    return q.get_draw_recomputation(log, draw)


@router.get(f"{A}/concentration", response={200: ConcentrationOut, **ERRORS}, tags=TAGS)
def get_concentration(
    request: HttpRequest, log: Path[Log], start: Query[At] = None, end: Query[At] = None
) -> ConcentrationOut:
    """Concentration of role-terms, proposals, speaking turns and mandates in [start, end), with alerts."""
    report = q.get_concentration(log, start=start or 0, end=_now(None) + 1 if end is None else end)
    alerts = tuple(
        ConcentrationAlertOut(
            **fields_of(a, q.AlertRead),
            message=concentration_alert_sentence(asdict(a)),
        )
        for a in report.alerts
    )
    answer = ConcentrationOut(start=report.start, end=report.end, measures=report.measures, alerts=alerts)
    return words.hide_households(answer, _secret_households(request, log))
