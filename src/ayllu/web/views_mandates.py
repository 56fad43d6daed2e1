"""Mandates and delegates' reports: per body the assembly is represented in, who represents it now,
the assembly's positions on that body's questions, every vote its delegates cast or were reported to
cast there (flagged when against the mandate or without one), and each session's report or its
overdue flag. Delegates file reports and vote through ayllu from here; any member records a session,
reports a vote, or tables a mandate.
"""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ayllu.core.assembly import reads as core_queries
from ayllu.core.assembly.replay import AssemblyState
from ayllu.core.assembly.words import said
from ayllu.core.cargos.powers import REPRESENT_IN
from ayllu.core.ledger.canonical import parse_canonical
from ayllu.core.ledger.record import parse_entry
from ayllu.core.mandates.acts import delegates_of
from ayllu.queries.replayed import one_head, read_state
from ayllu.storage import models, reads

from .reader import for_reader
from .views_cargos import cargo_context


def _bodies_of(state: AssemblyState) -> list[str]:
    named = {b for b, _ in state.mandates} | {b for b, _ in state.sessions}
    named |= {a.body for a in state.delegate_acts}
    for cargo in state.cargos.values():
        named |= {p.removeprefix(REPRESENT_IN) for p in cargo.powers if p.startswith(REPRESENT_IN)}
    return sorted(named)


def _mandates_page(state: AssemblyState, *, now: int, me: str) -> dict[str, Any]:
    sessions = core_queries.list_sessions(state, now=now)
    votes = core_queries.list_delegate_votes(state)
    bodies = []
    for body in _bodies_of(state):
        delegates = delegates_of(state, body, now=now)
        bodies.append(
            {
                "body": body,
                "delegates": delegates,
                "mandates": core_queries.list_mandates(state, body=body),
                "votes": [v for v in votes if v["body"] == body][::-1],
                "sessions": [s for s in sessions if s["body"] == body][::-1],
                "requests": core_queries.list_mandate_requests(state, body=body),
                "i_represent": bool(me) and me in delegates,
                "past_delegates": sorted(
                    {
                        t.member
                        for c in state.cargos.values()
                        if REPRESENT_IN + body in c.powers
                        for t in c.terms
                    }
                ),
            }
        )
    return {
        "bodies": bodies,
        "overdue": [s for s in sessions if s["overdue"]],
        "flagged": [v for v in votes if v["flag"]],
    }


def _texts(log: str, seqs: list[int]) -> dict[int, str]:
    """The `text` of the entries `seqs` (reports): replay keeps only their seqs, the words are in bodies."""
    if not seqs:
        return {}
    record = reads.get_record(log)
    headers = models.Entry.objects.filter(record=record, seq__in=seqs).values_list("header", flat=True)
    entries = [parse_entry(bytes(raw)) for raw in headers]
    rows = models.Body.objects.filter(record=record, hash__in=[e.act.body for e in entries], erased=False)
    raw_by_hash = dict(rows.values_list("hash", "raw"))
    texts = {}
    for entry in entries:
        raw = raw_by_hash.get(entry.act.body)
        if raw is not None:
            content = parse_canonical(bytes(raw))
            texts[entry.seq] = str(content.get("text", "")) if isinstance(content, dict) else ""
    return texts


@require_GET
@one_head()
def mandates(request: HttpRequest, log: str) -> HttpResponse:
    """Delegates, their mandates, their votes elsewhere (flagged), their reports and overdue flags."""
    context = cargo_context(request, log, "mandates")
    me, now = context["me"], context["now"]
    page = read_state(log, lambda s: _mandates_page(s, now=now, me=me))
    texts = _texts(log, [s["report"] for b in page["bodies"] for s in b["sessions"] if s["report"]])
    for body in page["bodies"]:
        for session in body["sessions"]:
            # the report's text is the words of `delegate.report_filed`: with a members-only report
            # under a public session, the session is shown and its report marked
            session["report_text"] = said(texts.get(session["report"], ""), session["report"])
            session["may_report"] = (
                bool(me) and not session["report"] and (me in session["delegates"] or body["i_represent"])
            )
    # Members-only words (positions, requests, sessions, votes, reports) become the "(members only)"
    # mark for anyone but this assembly's logged-in members; confidential ones for everybody.
    context.update(for_reader(page, context["hidden"]))
    return render(request, "web/cargos/mandates.html", context)
