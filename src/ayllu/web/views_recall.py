"""Recall: open petitions with their signatures against the charter's threshold, signing them, the
recall vote once enough members signed, past recalls, and the form to open a petition with a reason.

The person recalled cannot block a recall: they are not among the question's eligible voters, so the
page shows them no ballot (and the record would refuse one).
"""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ayllu.core.assembly import reads as core_queries
from ayllu.core.assembly.replay import AssemblyState
from ayllu.core.assembly.words import said
from ayllu.queries.replayed import one_head, read_state

from .reader import for_reader
from .views_cargos import cargo_context

OPEN = ("collecting", "deliberation", "voting")


def _petition_view(state: AssemblyState, petition: dict[str, Any], *, me: str, now: int) -> dict[str, Any]:
    question = state.questions.get(petition["question"]) if petition["question"] else None
    petition["may_sign"] = bool(me) and petition["status"] == "collecting" and me not in petition["signers"]
    if question is not None:
        petition["deadline"] = question.deadline
        petition["voted"] = len(question.votes)
        petition["eligible"] = len(question.eligible)
        votes = list(question.votes.values())
        # the counts are made from the ballots: one ballot the reader may not read hides them
        counts = {c: votes.count(c) for c in ("yes", "no", "abstain")}
        petition["counts"] = said(counts, *question.ballot_seqs.values())
        petition["my_vote"] = question.votes.get(me, "")
        petition["may_vote"] = (
            bool(me)
            and not question.closed_seq
            and me in question.eligible
            and me not in question.votes
            and now <= question.deadline
        )
        everyone = len(question.votes) == len(question.eligible)
        petition["may_close"] = bool(me) and not question.closed_seq and (now > question.deadline or everyone)
    return petition


def _recall_page(state: AssemblyState, *, me: str, now: int) -> dict[str, Any]:
    listed = core_queries.list_recall_petitions(state, open_only=False)
    petitions = [_petition_view(state, p, me=me, now=now) for p in listed]
    holdings = core_queries.list_holdings(state, now=now)
    return {
        "open": [p for p in petitions if p["status"] in OPEN][::-1],
        "past": [p for p in petitions if p["status"] not in OPEN][::-1],
        "holdings": holdings,
        "needed": state.rules.cargo.recall_signatures,
        "threshold": round(state.rules.cargo.recall_threshold * 1000),
    }


@require_GET
@one_head()
def recall(request: HttpRequest, log: str) -> HttpResponse:
    """Open recall petitions and votes, past recalls, and every current holder one may ask to recall."""
    context = cargo_context(request, log, "recall")
    me, now = context["me"], context["now"]
    # A reason signed for members only is theirs to read: anyone else sees the "(members only)" mark.
    page = read_state(log, lambda s: _recall_page(s, me=me, now=now))
    context.update(for_reader(page, context["hidden"]))
    return render(request, "web/cargos/recall.html", context)


@require_GET
@one_head()
def new_recall(request: HttpRequest, log: str) -> HttpResponse:
    """The form to open a recall petition against one current holder (`?cargo=&member=`)."""
    context = cargo_context(request, log, "recall")
    holdings = read_state(log, lambda s: core_queries.list_holdings(s, now=context["now"]))
    cargo, member = request.GET.get("cargo", ""), request.GET.get("member", "")
    context["holding"] = next((h for h in holdings if (h["cargo"], h["member"]) == (cargo, member)), None)
    context["holdings"] = holdings
    return render(request, "web/cargos/recall_new.html", context)
