"""Cargos: who holds what until when, the turn order for the next 12 months and why, the roster planned
all at once beside it (the turn order decides; docs/rotation.md), swaps, exemptions.

Like every assembly page, reading needs no login and no JavaScript; every answer comes from replaying
the record (the core's cargo queries on the state `queries.assembly` keeps). Acting is done by forms
that sign their act on the member's device: take the household's seat, offer or accept a swap, and
table an exemption or a mandate (static/web/js/cargos.js writes the decision's effect from the fields).
The other subjects of issue 4 have their own modules: views_mandates, views_recall, views_draws,
views_concentration; they share `cargo_context` from here.
"""

from dataclasses import dataclass, replace
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from ayllu.core.assembly.words import fields_of
from ayllu.core.charter.rules import DAY_MS
from ayllu.core.errors import DomainError
from ayllu.queries import cargo_forms
from ayllu.queries import cargo_visibility as words
from ayllu.queries import cargos as cargo_queries
from ayllu.queries.replayed import one_head

from . import page_cache
from .errors import message_for
from .reader import for_reader
from .views_assembly import assembly_context, reader_key

# The terms of the forecast a phone shows before "the whole forecast" (the rest are folded away).
TURNS_SHOWN = 4
SUBSECTIONS = ("cargos", "mandates", "recall", "draws", "concentration")


def cargo_context(request: HttpRequest, log: str, subsection: str) -> dict[str, Any]:
    """The assembly context, with the cargo pages' own navigation and the member's household:
    `my_household` as replay holds it, for logic only (which turns and seats are ours), never printed;
    `my_household_shown`, what the page may print ("" for a household written in a confidential body,
    shown to nobody, the member included)."""
    context = assembly_context(request, log)
    me = context["me"]
    context.update(
        section="cargos",
        subsection=subsection,
        my_household=cargo_queries.get_household_of(log, member=me) if me else "",
        my_household_shown=context["people"][me].household if me else "",
    )
    return context


def secret_households(context: dict[str, Any], log: str) -> frozenset[str]:
    """The households whose names this page's reader may not read: every member of it has its household
    hidden in `people` (written for members only, for an outsider; confidential, for everyone)."""
    hidden = [m for m, person in context["people"].items() if not person.household]
    return words.secret_households(cargo_queries.get_households(log), hidden) if hidden else frozenset()


@dataclass(frozen=True, slots=True)
class StandingOnPage(cargo_queries.StandingRead):
    """A household's standing as the page shows it: `ours`, the reader's household."""

    ours: bool


@dataclass(frozen=True, slots=True)
class TurnOnPage(cargo_queries.TurnAhead):
    """A term of the turn order as the page shows it to its reader: whether the reader's household is
    named (`ours`), its standing (`mine`), and the roster's plan for the same term (`planned`, None
    when it plans none; `planned_agrees`: the same households)."""

    ours: bool
    mine: StandingOnPage | None
    planned: cargo_queries.RosterTermRead | None
    planned_agrees: bool


@dataclass(frozen=True, slots=True)
class LoadOnPage(cargo_queries.RosterLoadRead):
    """A household's load in the roster's table: `ours`, the reader's household."""

    ours: bool


@dataclass(frozen=True, slots=True)
class OfferOnPage(cargo_queries.SwapOfferRead):
    """A swap offer: `may_accept`, the core would accept this reader's acceptance now."""

    may_accept: bool


def _turn_view(
    turn: cargo_queries.TurnAhead, *, household: str, planned: cargo_queries.RosterTermRead | None
) -> TurnOnPage:
    # marked before names a reader may not read are withheld
    standings = tuple(
        StandingOnPage(
            **fields_of(s, cargo_queries.StandingRead), ours=bool(household) and s.household == household
        )
        for s in turn.standings
    )
    households = {h.household for h in turn.holders}
    return TurnOnPage(
        **{**fields_of(turn, cargo_queries.TurnAhead), "standings": standings},
        ours=bool(household) and household in households,
        mine=next((s for s in standings if s.ours), None),
        planned=planned,
        planned_agrees=planned is not None and {h.household for h in planned.holders} == households,
    )


def _cargos_page(log: str, *, now: int, key: str, household: str) -> dict[str, Any]:
    page = cargo_queries.get_cargos_page(log, now=now)
    forms = cargo_forms.get_cargo_forms(log, key=key, now=now)
    roster = _roster_view(log, now=now, household=household)
    planned = {(t.cargo, t.start): t for t in roster["roster"].terms} if roster["roster"] else {}
    ahead = [_turn_view(t, household=household, planned=planned.get((t.cargo, t.start))) for t in page.ahead]
    return {
        "cargos": page.cargos,
        "ahead": ahead,
        "next_ours": next((t for t in ahead if t.ours and t.start > now), None),
        "held_now": [h for c in page.cargos for h in c.holdings if key and h.member == key],
        # The core's answers: the seats, swaps and partners this reader's acts would be accepted for.
        "seats_to_take": [{"cargo": c} for c in forms.take_turn],
        "offers": [
            OfferOnPage(**fields_of(o, cargo_queries.SwapOfferRead), may_accept=o.id in forms.accept_swap)
            for o in page.offers
        ],
        "swap_cargos": list(forms.swap_cargos),
        "swap_households": list(forms.swap_households),
        "forms_announce": forms.announce,
        "households": list(page.households),
        "exemptions": page.exemptions,
        **roster,
        "roster_compared": sum(1 for t in ahead if t.planned is not None),
        "roster_agreeing": sum(1 for t in ahead if t.planned_agrees),
    }


def _roster_view(log: str, *, now: int, household: str) -> dict[str, Any]:
    """The planned roster beside the turn order (its loads marked for the reader's household), or the
    sentence saying why there is none."""
    try:
        roster = cargo_queries.get_planned_roster(log, now=now)
    except DomainError as error:
        return {"roster": None, "roster_error": message_for(error.code, error.detail)}
    loads = tuple(
        LoadOnPage(
            **fields_of(load, cargo_queries.RosterLoadRead),
            ours=bool(household) and load.household == household,
        )
        for load in roster.loads
    )
    return {
        "roster": replace(roster, loads=loads),
        "roster_rest_days": roster.rest_ms // DAY_MS,
        "roster_relaxed": roster.rest_ms < roster.charter_rest_ms,
    }


@require_GET
@one_head()
@page_cache.conditional_page("cargos")
def cargos(request: HttpRequest, log: str) -> HttpResponse:
    """Who holds what until when; the turn order ahead with its reasons and the planned roster beside
    it; swaps and exemptions."""
    context = cargo_context(request, log, "cargos")
    household, now = context["my_household"], context["now"]
    key = reader_key(context)
    context.update(_cargos_page(log, now=now, key=key, household=household))
    # An exemption's reason is the words of the proposal that granted it: "(members only)" when the
    # reader may not read them.
    context["exemptions"] = for_reader(context["exemptions"], context["hidden"])
    mark = gettext("(members only)")
    secret = secret_households(context, log)
    if secret:
        for name in ("cargos", "ahead", "next_ours", "offers", "exemptions", "roster"):
            context[name] = words.hide_households(context[name], secret, withheld=mark)
        context["households"] = [h for h in context["households"] if h not in secret]
        context["swap_households"] = [h for h in context["swap_households"] if h not in secret]
    # People read households' names, the forms send ids (format 2: rule data names a household by id).
    names = cargo_queries.get_household_names(log, hidden=context["hidden"])
    for name in ("cargos", "ahead", "next_ours", "offers", "exemptions", "roster"):
        context[name] = words.name_households(context[name], names)
    context["households"] = [(h, names.get(h, h)) for h in context["households"]]
    context["swap_households"] = [(h, names.get(h, h)) for h in context["swap_households"]]
    # The next few terms first; the rest folded away, open when the reader's next turn is among them.
    soon, later = context["ahead"][:TURNS_SHOWN], context["ahead"][TURNS_SHOWN:]
    ours_soon = any(t.ours and t.start > now for t in soon)
    context.update(
        ahead_soon=soon, ahead_later=later, next_ours_later=bool(context["next_ours"]) and not ours_soon
    )
    return render(request, "web/cargos/cargos.html", context)
