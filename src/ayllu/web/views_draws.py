"""Sortition draws: every panel drawn by lot, and for each the pool, quotas, panel size, the list of
panels and its hash, commitments and reveals, the beacon, the chosen panel, each member's chance, and
the evidence to recompute it, downloadable as JSON and readable by `sortition.recompute_draw`.

A logged-in member takes part from the draw page: static/web/js/draw.js makes a secret on the device,
keeps it there, and signs `draw.committed` and later `draw.revealed` like every other act (through
`web:submit_act`, so the node only checks and appends). The page tells each member what their device
holds for the draw; the rules (who may commit or reveal, and when) are the core's (core/sortition/acts.py).
"""

import json
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from ayllu.core.assembly.words import fields_of, shown_to
from ayllu.core.errors import DomainError
from ayllu.core.ledger.canonical import canonical_bytes
from ayllu.queries import cargo_forms
from ayllu.queries import cargos as cargo_queries
from ayllu.queries.replayed import one_head
from ayllu.storage.errors import RecordNotFound
from ayllu.web.address_words import query_value

from . import page_cache
from .errors import message_for
from .reader import for_reader, hidden_for_request
from .views_assembly import reader_key
from .views_cargos import cargo_context


def draw_phase(draw: cargo_queries.DrawRead, *, now: int) -> str:
    """Where a draw stands: committing, revealing, waiting (for the beacon) or completed."""
    if draw.completed_seq:
        return "completed"
    if now <= draw.commit_until:
        return "committing"
    if now <= draw.reveal_until:
        return "revealing"
    return "waiting"


@dataclass(frozen=True, slots=True)
class Participant:
    """A member who committed, their commitment and secret ("" until revealed) and where it stands."""

    member: str
    commitment: str
    secret: str | None
    status: str


def participants(draw: cargo_queries.DrawRead, *, phase: str) -> tuple[Participant, ...]:
    """Who committed, in member order, each with where their secret stands: committed (the reveal has
    not opened), revealed, waiting (may still reveal) or withheld (the reveal window closed without it)."""
    rows = []
    for member, commitment in draw.commitments.items():
        secret = draw.reveals.get(member)
        if secret:
            status = "revealed"
        elif phase == "committing":
            status = "committed"
        elif phase == "revealing":
            status = "waiting"
        else:
            status = "withheld"
        rows.append(Participant(member=member, commitment=commitment, secret=secret, status=status))
    return tuple(rows)


@dataclass(frozen=True, slots=True)
class MyPart:
    """What the logged-in member's device holds for a draw (their commitment, "" for none; whether they
    revealed) and what the core would accept from them now."""

    commitment: str
    revealed: bool
    may_commit: bool
    may_reveal: bool


def my_part(draw: cargo_queries.DrawRead, *, me: str, allowed: cargo_forms.DrawForms | None) -> MyPart:
    """What the logged-in member's device holds for the draw, and what they may do now as the core
    answers: commit (any member, until the commit deadline) or reveal (a member who committed, between
    the two deadlines)."""
    return MyPart(
        commitment=draw.commitments.get(me, "") if me else "",
        revealed=bool(me) and me in draw.reveals,
        may_commit=allowed is not None and allowed.commit,
        may_reveal=allowed is not None and allowed.reveal,
    )


@dataclass(frozen=True, slots=True)
class DrawOnList(cargo_queries.DrawRead):
    """A draw as the draws page lists it: where it stands and the reader's part in it."""

    phase: str = ""
    mine: MyPart | None = None


@dataclass(frozen=True, slots=True)
class DrawOnPage(cargo_queries.DrawPage):
    """A draw as its page shows it: where it stands, who committed and how many revealed."""

    phase: str = ""
    participants: tuple[Participant, ...] = ()
    revealed_count: int = 0


@require_GET
@one_head()
@page_cache.conditional_page("draws")
def draws(request: HttpRequest, log: str) -> HttpResponse:
    """Every draw by lot, newest first, with where it stands."""
    context = cargo_context(request, log, "draws")
    listed: list[cargo_queries.DrawRead] = for_reader(cargo_queries.list_draws(log)[::-1], context["hidden"])
    forms = cargo_forms.get_draw_forms(log, key=reader_key(context), now=context["now"])
    context["draws"] = [
        DrawOnList(
            **fields_of(d, cargo_queries.DrawRead),
            phase=draw_phase(d, now=context["now"]),
            mine=my_part(d, me=context["me"], allowed=forms.get(d.draw)),
        )
        for d in listed
    ]
    if cargo_forms.may_prepare_draw(log, key=reader_key(context), now=context["now"]):
        context["preparation"] = _preparation(log, request.GET, now=context["now"])
    return render(request, "web/cargos/draws.html", context)


# drand's quicknet beacon: a round every 3 s from its genesis (public constants of that network), so the
# page can suggest the first round published after a draw's reveals close; the member may name another.
QUICKNET_SOURCE, QUICKNET_GENESIS_S, QUICKNET_PERIOD_S = "drand-quicknet", 1_692_803_367, 3
HOURS = (1, 6, 24, 48, 72, 168)


def quicknet_round_after(ms: int) -> int:
    """The first quicknet round published after `ms` (ms since the epoch)."""
    return (ms // 1000 - QUICKNET_GENESIS_S) // QUICKNET_PERIOD_S + 2


@dataclass(frozen=True, slots=True)
class PreparationValues:
    """What the draw-preparing form holds: the defaults, or what the member asked."""

    purpose: str
    panel_size: int
    hours: int
    round: int
    source: str


@dataclass(frozen=True, slots=True)
class PreparationForm:
    """The draw-preparing form: its values and choices, and once asked, the body the node prepared for
    the member to sign (`body`, its canonical text; `prepared`, its fields) or why it could not be."""

    values: PreparationValues
    hours_choices: tuple[int, ...]
    suggested: int
    error: str = ""
    body: str = ""
    prepared: Mapping[str, object] | None = None


def _preparation(log: str, asked: Any, *, now: int) -> PreparationForm:
    """The draw-preparing form: its values (defaults, or what the member asked), and once asked, the
    body the node prepared for the member to sign, or why it could not be prepared."""
    hours = _int(query_value(asked, "hours"), default=24)
    hours = hours if hours in HOURS else 24
    suggested = quicknet_round_after(now + (2 * hours + 1) * 3_600_000)
    values = PreparationValues(
        purpose=query_value(asked, "purpose").strip(),
        panel_size=_int(query_value(asked, "panel_size"), default=5),
        hours=hours,
        round=_int(query_value(asked, "round"), default=suggested),
        source=query_value(asked, "source").strip() or QUICKNET_SOURCE,
    )
    form = PreparationForm(values=values, hours_choices=HOURS, suggested=suggested)
    if not values.purpose:
        return form
    if not 1 <= values.panel_size <= 1000 or values.round < 1 or len(values.purpose) > 200:
        return replace(form, error=str(BAD_PREPARATION))
    beacon = {"source": values.source[:64], "round": values.round}
    try:
        body = cargo_queries.get_draw_preparation(
            log, purpose=values.purpose, panel_size=values.panel_size, hours=hours, beacon=beacon, now=now
        )
    except DomainError as error:
        return replace(form, error=str(message_for(error.code, error.detail)))
    return replace(form, body=canonical_bytes(body).decode("utf-8"), prepared=body)


def _int(text: str | None, *, default: int) -> int:
    try:
        return int(text) if text else default
    except ValueError:
        return -1


@require_GET
@one_head()
@page_cache.conditional_page("draw")
def draw(request: HttpRequest, log: str, draw_id: int) -> HttpResponse:
    """One draw: where it stands and the member's part in it, everything it was drawn from, the chosen
    panel, and how to recompute it."""
    context = cargo_context(request, log, "draws")
    try:
        described: cargo_queries.DrawPage = for_reader(
            cargo_queries.get_draw_page(log, draw_id), context["hidden"]
        )
    except DomainError:
        raise Http404(message_for("unknown_draw", {"draw": draw_id})) from None
    phase = draw_phase(described, now=context["now"])
    context["draw"] = DrawOnPage(
        **fields_of(described, cargo_queries.DrawPage),
        phase=phase,
        participants=participants(described, phase=phase),
        revealed_count=len(described.reveals),
    )
    forms = cargo_forms.get_draw_forms(log, key=reader_key(context), now=context["now"])
    context["mine"] = my_part(described, me=context["me"], allowed=forms.get(draw_id))
    allowed = forms.get(draw_id)
    if allowed is not None and allowed.complete:
        context["completion"] = _completion(log, draw_id, query_value(request.GET, "beacon").strip().lower())
    return render(request, "web/cargos/draw.html", context)


# Beacons publish their values in hexadecimal; anything else is a copying mistake, said before signing.
HEX = re.compile(r"[0-9a-f]+")
BAD_PREPARATION = _(
    "Give the purpose (up to 200 characters), a number of seats and the beacon's round number."
)
NOT_HEX = _("A beacon's value is written in hexadecimal: only the digits 0 to 9 and the letters a to f.")


@dataclass(frozen=True, slots=True)
class CompletionForm:
    """The completion form: the beacon round the draw named, and once its value is given, the body to
    sign (its canonical text) or why that value cannot complete the draw."""

    beacon: Mapping[str, object]
    value: str = ""
    error: str = ""
    body: str = ""


def _completion(log: str, draw_id: int, beacon_value: str) -> CompletionForm:
    """The completion form: the named beacon round, and once its value is given, the body to sign (the
    index and panel the node recomputed from the record) or why that value cannot complete the draw."""
    form = CompletionForm(beacon=cargo_queries.get_draw_recomputation(log, draw_id).beacon_chain[0])
    if not beacon_value:
        return form
    if not HEX.fullmatch(beacon_value):
        return replace(form, value=beacon_value, error=str(NOT_HEX))
    try:
        body = cargo_queries.get_draw_completion(log, draw_id, beacon_value=beacon_value)
    except DomainError as error:
        return replace(form, value=beacon_value, error=str(message_for(error.code, error.detail)))
    return replace(form, value=beacon_value, body=canonical_bytes(body).decode("utf-8"))


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
    text = json.dumps(asdict(evidence), ensure_ascii=False, sort_keys=True, indent=1)
    response = HttpResponse(text, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="draw-{draw_id}-evidence.json"'
    return response
