"""Sortition draws: every panel drawn by lot, and for each the pool, quotas, panel size, the list of
panels and its hash, commitments and reveals, the beacon, the chosen panel, each member's chance, and
the evidence to recompute it, downloadable as JSON and readable by `sortition.recompute_draw`.

A logged-in member takes part from the draw page: static/web/js/draw.js makes a secret on the device,
keeps it there, and signs `draw.committed` and later `draw.revealed` like every other act (through
`web:submit_act`, so the node only checks and appends). The page tells each member what their device
holds for the draw; the rules (who may commit or reveal, and when) are the core's (core/sortition/acts.py).
"""

import json
from fractions import Fraction
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ayllu.core.assembly import reads as core_queries
from ayllu.core.assembly.replay import AssemblyState
from ayllu.core.assembly.words import MEMBERS_ONLY, said, shown_to
from ayllu.core.sortition.acts import draw_evidence, pool_attributes
from ayllu.core.sortition.preparation import lottery_probabilities
from ayllu.queries.replayed import one_head, read_state
from ayllu.storage.errors import RecordNotFound

from .errors import message_for
from .reader import for_reader, hidden_for_request
from .views_cargos import cargo_context


def draw_phase(draw: dict[str, Any], *, now: int) -> str:
    """Where a draw stands: committing, revealing, waiting (for the beacon) or completed."""
    if draw["completed_seq"]:
        return "completed"
    if now <= draw["commit_until"]:
        return "committing"
    if now <= draw["reveal_until"]:
        return "revealing"
    return "waiting"


def _draw(state: AssemblyState, draw_id: int) -> dict[str, Any]:
    """The draw page's read: the evidence, the pool with each member's attributes and chance. The
    purpose, the quotas, the attributes and their categories are words of `draw.prepared` (`Said`s)."""
    if draw_id not in state.draws:
        raise Http404(message_for("unknown_draw", {"draw": draw_id}))
    evidence = core_queries.get_draw_evidence(state, draw_id)
    record = state.draws[draw_id]
    chances = lottery_probabilities(record)
    evidence["pool"] = [
        {
            "member": m,
            "attributes": said(sorted(record.pool[m].items()), draw_id),
            "chance": round(chances[m] * 1000),
        }
        for m in sorted(record.pool)
    ]
    categories = sorted({c for attributes in record.pool.values() for c in attributes})
    evidence["categories"] = said(categories, draw_id)
    lowest = min(chances.values(), default=Fraction(0))
    evidence["lowest_chance"] = round(lowest * 1000)
    return evidence


def participants(draw: dict[str, Any], *, phase: str) -> list[dict[str, Any]]:
    """Who committed, in member order, each with where their secret stands: committed (the reveal has
    not opened), revealed, waiting (may still reveal) or withheld (the reveal window closed without it)."""
    rows = []
    for member, commitment in draw["commitments"].items():
        secret = draw["reveals"].get(member)
        if secret:
            status = "revealed"
        elif phase == "committing":
            status = "committed"
        elif phase == "revealing":
            status = "waiting"
        else:
            status = "withheld"
        rows.append({"member": member, "commitment": commitment, "secret": secret, "status": status})
    return rows


def my_part(draw: dict[str, Any], *, me: str, phase: str) -> dict[str, Any]:
    """What the logged-in member may do now: commit (any member, until the commit deadline) or reveal
    (a member who committed, between the two deadlines); the core decides again on append."""
    commitment = draw["commitments"].get(me, "") if me else ""
    revealed = bool(me) and me in draw["reveals"]
    return {
        "commitment": commitment,
        "revealed": revealed,
        "may_commit": bool(me) and phase == "committing" and not commitment,
        "may_reveal": bool(commitment) and phase == "revealing" and not revealed,
    }


@require_GET
@one_head()
def draws(request: HttpRequest, log: str) -> HttpResponse:
    """Every draw by lot, newest first, with where it stands."""
    context = cargo_context(request, log, "draws")
    listed = for_reader(read_state(log, core_queries.list_draws)[::-1], context["hidden"])
    for draw in listed:
        draw["phase"] = draw_phase(draw, now=context["now"])
        draw["mine"] = my_part(draw, me=context["me"], phase=draw["phase"])
    context["draws"] = listed
    return render(request, "web/cargos/draws.html", context)


@require_GET
@one_head()
def draw(request: HttpRequest, log: str, draw_id: int) -> HttpResponse:
    """One draw: where it stands and the member's part in it, everything it was drawn from, the chosen
    panel, and how to recompute it."""
    context = cargo_context(request, log, "draws")
    described = for_reader(read_state(log, lambda s: _draw(s, draw_id)), context["hidden"])
    phase = draw_phase(described, now=context["now"])
    described["phase"] = phase
    described["participants"] = participants(described, phase=phase)
    described["revealed_count"] = len(described["reveals"])
    context["draw"] = described
    context["mine"] = my_part(described, me=context["me"], phase=phase)
    return render(request, "web/cargos/draw.html", context)


def _evidence(state: AssemblyState, draw_id: int) -> dict[str, Any]:
    record = state.draws.get(draw_id)
    if record is None or not record.completed_seq:
        raise Http404(message_for("unknown_draw", {"draw": draw_id}))
    evidence = draw_evidence(record, beacon=record.beacon)
    described = core_queries.get_draw_evidence(state, draw_id)
    return {
        **evidence,
        "draw": draw_id,
        "purpose": described["purpose"],
        "pool": pool_attributes(record),
        "quotas": described["quotas"],
        "index": described["index"],
        "panel": described["panel"],
        "seed": described["seed"],
        MEMBERS_ONLY: False,
    }


@require_GET
@one_head()
def draw_evidence_json(request: HttpRequest, log: str, draw_id: int) -> HttpResponse:
    """The evidence of a completed draw as a JSON file: `recompute_draw` reads it as it is.

    For a reader who may not read `draw.prepared` (a members-only draw, for anyone but this assembly's
    logged-in members) the purpose, the quotas and every pool member's attributes are null and
    `members_only` is true: what is left (the list of panels, its hash, commitments, reveals and the
    beacon) still recomputes the panel, but checking that the list meets the quotas needs the pool's
    attributes, which only members have (docs/access-policy.md)."""
    try:
        hidden = hidden_for_request(request, log)
        evidence = shown_to(read_state(log, lambda s: _evidence(s, draw_id)), hidden)
    except RecordNotFound:
        raise Http404(message_for("record_not_found", {"log": log})) from None
    text = json.dumps(evidence, ensure_ascii=False, sort_keys=True, indent=1)
    response = HttpResponse(text, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="draw-{draw_id}-evidence.json"'
    return response
