"""Sortition draws: every panel drawn by lot, and for each the pool, quotas, panel size, the list of
panels and its hash, commitments and reveals, the beacon, the chosen panel, each member's chance, and
the evidence to recompute it, downloadable as JSON and readable by `sortition.recompute_draw`.

A logged-in member takes part from the draw page: static/web/js/draw.js makes a secret on the device,
keeps it there, and signs `draw.committed` and later `draw.revealed` like every other act (through
`web:submit_act`, so the node only checks and appends). The page tells each member what their device
holds for the draw; the rules (who may commit or reveal, and when) are the core's (core/sortition/acts.py).
"""

import json
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ayllu.core.assembly.words import shown_to
from ayllu.core.errors import DomainError
from ayllu.queries import cargo_forms
from ayllu.queries import cargos as cargo_queries
from ayllu.queries.replayed import one_head
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


def my_part(draw: dict[str, Any], *, me: str, allowed: cargo_forms.DrawForms | None) -> dict[str, Any]:
    """What the logged-in member's device holds for the draw, and what they may do now as the core
    answers: commit (any member, until the commit deadline) or reveal (a member who committed, between
    the two deadlines)."""
    commitment = draw["commitments"].get(me, "") if me else ""
    return {
        "commitment": commitment,
        "revealed": bool(me) and me in draw["reveals"],
        "may_commit": allowed is not None and allowed.commit,
        "may_reveal": allowed is not None and allowed.reveal,
    }


def _reader_key(context: dict[str, Any]) -> str:
    return context["login"].key if context["login"] else ""


@require_GET
@one_head()
def draws(request: HttpRequest, log: str) -> HttpResponse:
    """Every draw by lot, newest first, with where it stands."""
    context = cargo_context(request, log, "draws")
    listed = for_reader(cargo_queries.list_draws(log)[::-1], context["hidden"])
    forms = cargo_forms.get_draw_forms(log, key=_reader_key(context), now=context["now"])
    for draw in listed:
        draw["phase"] = draw_phase(draw, now=context["now"])
        draw["mine"] = my_part(draw, me=context["me"], allowed=forms.get(draw["draw"]))
    context["draws"] = listed
    return render(request, "web/cargos/draws.html", context)


@require_GET
@one_head()
def draw(request: HttpRequest, log: str, draw_id: int) -> HttpResponse:
    """One draw: where it stands and the member's part in it, everything it was drawn from, the chosen
    panel, and how to recompute it."""
    context = cargo_context(request, log, "draws")
    try:
        described = for_reader(cargo_queries.get_draw_page(log, draw_id), context["hidden"])
    except DomainError:
        raise Http404(message_for("unknown_draw", {"draw": draw_id})) from None
    phase = draw_phase(described, now=context["now"])
    described["phase"] = phase
    described["participants"] = participants(described, phase=phase)
    described["revealed_count"] = len(described["reveals"])
    context["draw"] = described
    forms = cargo_forms.get_draw_forms(log, key=_reader_key(context), now=context["now"])
    context["mine"] = my_part(described, me=context["me"], allowed=forms.get(draw_id))
    return render(request, "web/cargos/draw.html", context)


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
        evidence = shown_to(cargo_queries.get_completed_draw_evidence(log, draw_id), hidden)
    except RecordNotFound:
        raise Http404(message_for("record_not_found", {"log": log})) from None
    except DomainError:
        raise Http404(message_for("unknown_draw", {"draw": draw_id})) from None
    text = json.dumps(evidence, ensure_ascii=False, sort_keys=True, indent=1)
    response = HttpResponse(text, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="draw-{draw_id}-evidence.json"'
    return response
