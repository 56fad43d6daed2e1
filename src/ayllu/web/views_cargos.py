"""Cargos: who holds what until when, the turn order for the next 12 months and why, the roster planned
all at once beside it (the turn order decides; docs/rotation.md), swaps, exemptions.

Like every assembly page, reading needs no login and no JavaScript; every answer comes from replaying
the record (the core's cargo queries on the state `queries.assembly` keeps). Acting is done by forms
that sign their act on the member's device: take the household's seat, offer or accept a swap, and
table an exemption or a mandate (static/web/js/cargos.js writes the decision's effect from the fields).
The other subjects of issue 4 have their own modules: views_mandates, views_recall, views_draws,
views_concentration; they share `cargo_context` from here.
"""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from ayllu.core.assembly import reads as core_queries
from ayllu.core.assembly.replay import AssemblyState
from ayllu.core.charter.rules import DAY_MS
from ayllu.core.errors import DomainError
from ayllu.queries import cargo_visibility as words
from ayllu.queries import cargos as cargo_queries
from ayllu.queries.replayed import one_head, read_state

from .errors import message_for
from .reader import for_reader
from .views_assembly import assembly_context

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
        my_household_shown=context["people"][me]["household"] if me else "",
    )
    return context


def secret_households(context: dict[str, Any], log: str) -> frozenset[str]:
    """The households whose names this page's reader may not read: every member of it has its household
    hidden in `people` (written for members only, for an outsider; confidential, for everyone)."""
    hidden = [m for m, person in context["people"].items() if not person["household"]]
    return words.secret_households(cargo_queries.get_households(log), hidden) if hidden else frozenset()


def explain_turn(turn: dict[str, Any]) -> dict[str, Any]:
    """Why the first household named for a term comes before the next one that may serve, as a code:
    only_one, least_load, never_served, waited_longest, lot; or ask_assembly when nobody may serve."""
    if not turn["holders"]:
        return {"code": "ask_assembly"}
    ranked = [s for s in turn["standings"] if s["rank"] is not None]
    chosen = {h["household"] for h in turn["holders"]}
    runner = next((s for s in ranked if s["household"] not in chosen), None)
    first = next(s for s in ranked if s["household"] in chosen)
    if runner is None:
        return {"code": "only_one", "first": first}
    if first["load"] < runner["load"]:
        code = "least_load"
    elif first["last_served"] != runner["last_served"]:
        code = "never_served" if first["last_served"] is None else "waited_longest"
    else:
        code = "lot"
    return {"code": code, "first": first, "runner": runner}


def _turn_view(turn: dict[str, Any], *, household: str) -> dict[str, Any]:
    turn["why"] = explain_turn(turn)
    turn["ours"] = bool(household) and any(h["household"] == household for h in turn["holders"])
    for standing in turn["standings"]:  # marked before names a reader may not read are withheld
        standing["ours"] = bool(household) and standing["household"] == household
    turn["mine"] = next((s for s in turn["standings"] if s["ours"]), None)
    return turn


def _cargos_page(state: AssemblyState, *, now: int, me: str, household: str) -> dict[str, Any]:
    holdings = core_queries.list_holdings(state, now=now)
    cargos = core_queries.list_cargos(state)
    for cargo in cargos:
        cargo["term_days"] = cargo["term_ms"] // DAY_MS
        cargo["holdings"] = [h for h in holdings if h["cargo"] == cargo["cargo"]]
    ahead = [_turn_view(t, household=household) for t in core_queries.list_turn_order_ahead(state, now=now)]
    serving = [h for h in holdings if household and h["household"] == household]
    offers = [
        {**o, "to_us": bool(household) and o["other"] == household}
        for o in core_queries.list_swap_offers(state)
    ]
    return {
        "cargos": cargos,
        "ahead": ahead,
        "next_ours": next((t for t in ahead if t["ours"] and t["start"] > now), None),
        # A member may take a seat their household holds now, when the turn order named someone else.
        "seats_to_take": [h for h in serving if h["member"] != me and h["how"] != "founding"],
        "offers": offers,
        "households": sorted(h for h, n in state.household_active.items() if n),
        "exemptions": core_queries.list_exemptions(state, now=now),
        "turn_cargos": [c["cargo"] for c in cargos if c["by_turn"]],
    }


def _roster_view(log: str, ahead: list[dict[str, Any]], *, now: int) -> dict[str, Any]:
    """The planned roster beside the turn order: each coming term gets the roster's households
    (`planned`, `planned_agrees`); the roster itself (or the sentence saying why there is none)."""
    try:
        roster = cargo_queries.get_planned_roster(log, now=now)
    except DomainError as error:
        return {"roster": None, "roster_error": message_for(error.code, error.detail)}
    planned = {(t["cargo"], t["start"]): t for t in roster["terms"]}
    compared = 0
    for turn in ahead:
        term = planned.get((turn["cargo"], turn["start"]))
        turn["planned"] = term
        if term is not None:
            ours = {h["household"] for h in turn["holders"]}
            turn["planned_agrees"] = {h["household"] for h in term["holders"]} == ours
            compared += 1
    return {
        "roster": roster,
        "roster_compared": compared,
        "roster_agreeing": sum(1 for t in ahead if t.get("planned") and t["planned_agrees"]),
        "roster_rest_days": roster["rest_ms"] // DAY_MS,
        "roster_relaxed": roster["rest_ms"] < roster["charter_rest_ms"],
    }


@require_GET
@one_head()
def cargos(request: HttpRequest, log: str) -> HttpResponse:
    """Who holds what until when; the turn order ahead with its reasons and the planned roster beside
    it; swaps and exemptions."""
    context = cargo_context(request, log, "cargos")
    me, household, now = context["me"], context["my_household"], context["now"]
    context.update(read_state(log, lambda s: _cargos_page(s, now=now, me=me, household=household)))
    # An exemption's reason is the words of the proposal that granted it: "(members only)" when the
    # reader may not read them.
    context["exemptions"] = for_reader(context["exemptions"], context["hidden"])
    mark = gettext("(members only)")
    context.update(_roster_view(log, context["ahead"], now=now))
    if context["roster"] is not None:  # a copy: the roster is shared by every request of the day
        loads = [{**load, "ours": bool(household) and load["household"] == household}
                 for load in context["roster"]["loads"]]  # fmt: skip
        context["roster"] = {**context["roster"], "loads": loads}
    secret = secret_households(context, log)
    if secret:
        for key in ("cargos", "ahead", "next_ours", "offers", "exemptions", "roster"):
            context[key] = words.hide_households(context[key], secret, withheld=mark)
        context["households"] = [h for h in context["households"] if h not in secret]
    return render(request, "web/cargos/cargos.html", context)
