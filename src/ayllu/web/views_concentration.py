"""Concentration: for a period, how role-terms, proposals, speaking turns and mandates are shared per
person and per household: Gini coefficient, the top tenth's share, breadth and every share, drawn as
bar charts in inline SVG (no script, no other host) with the numbers as text beside them; the charter's
thresholds raise alerts shown first.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from ayllu.core.assembly.words import fields_of
from ayllu.queries import cargos as cargo_queries
from ayllu.queries.cargo_visibility import hide_households, name_households
from ayllu.queries.federation_offices import get_federation_offices, get_member_names
from ayllu.queries.pages import Person
from ayllu.queries.replayed import one_head
from ayllu.web.address_words import query_value
from ayllu.web.templatetags.cargos import Bar

from . import page_cache
from .views_cargos import cargo_context, secret_households

PERIODS = (3, 12, 36)
DEFAULT_MONTHS = 12


def _label(who: str, *, unit: str, people: Mapping[str, Person]) -> str:
    """A bar's name, as the table below the chart names the same person (`{% person %}`): the name the
    member chose, else their household, and the start of their key."""
    if unit == "household":
        return who
    person = people.get(who)
    if person is None:
        return who[:8]
    return " ".join(part for part in (person.name or person.household, person.key[:8]) if part)


@dataclass(frozen=True, slots=True)
class MeasureOnPage(cargo_queries.MeasureRead):
    """A measure as the page draws it: its bars (for `bar_chart`), the label of the reader (or their
    household) to highlight, and the codes of its alerts."""

    bars: tuple[Bar, ...]
    highlight: str
    alerts: tuple[str, ...]


def _concentration_page(
    log: str,
    *,
    now: int,
    months: int,
    people: Mapping[str, Person],
    me: str,
    secret: frozenset[str],
    names: dict[str, str],
) -> dict[str, Any]:
    start = now - cargo_queries.YEAR_MS * months // 12
    found = cargo_queries.get_concentration(log, start=start, end=now + 1)
    # A household whose name the reader may not read is shown as "(members only)".
    found = name_households(hide_households(found, secret, withheld=gettext("(members only)")), names)
    alerts = sorted(found.alerts, key=lambda a: a.code)
    kinds = []
    for kind in cargo_queries.CONCENTRATION_KINDS:
        measures = []
        for measure in (m for m in found.measures if m.kind == kind):
            unit = measure.unit
            mine = me if unit == "person" else getattr(people.get(me), "household", "")
            measures.append(
                MeasureOnPage(
                    **fields_of(measure, cargo_queries.MeasureRead),
                    bars=tuple(
                        Bar(label=_label(s.id or "", unit=unit, people=people), per_mille=s.per_mille)
                        for s in measure.shares
                    ),
                    highlight=_label(mine, unit=unit, people=people) if mine else "",
                    alerts=tuple(a.code for a in alerts if (a.kind, a.unit) == (kind, unit)),
                )
            )
        kinds.append({"kind": kind, "measures": measures})
    return {
        "kinds": kinds,
        "alerts": alerts,
        "start": start,
        "thresholds": cargo_queries.get_concentration_thresholds(log),
    }


@require_GET
@one_head()
@page_cache.conditional_page("concentration")
def concentration(request: HttpRequest, log: str) -> HttpResponse:
    """Shares of roles, proposals, speaking and mandates for the last 3, 12 or 36 months."""
    context = cargo_context(request, log, "concentration")
    raw = query_value(request.GET, "months")
    months = int(raw) if raw.isdigit() and int(raw) in PERIODS else DEFAULT_MONTHS
    now, people, me = context["now"], context["people"], context["me"]
    secret = secret_households(context, log)
    names = cargo_queries.get_household_names(log, hidden=context["hidden"])
    page = _concentration_page(log, now=now, months=months, people=people, me=me, secret=secret, names=names)
    context.update(page, months=months, periods=PERIODS)
    # A federation's own offices pass among its member assemblies: who held them, per assembly and per
    # person across levels (as its offices page counts them); None for an assembly's record.
    context["federation_offices"] = get_federation_offices(log, now=now)
    context["office_names"] = get_member_names(log) if context["federation_offices"] is not None else {}
    return render(request, "web/cargos/concentration.html", context)
