"""Recall: open petitions with their signatures against the charter's threshold, signing them, the
recall vote once enough members signed, past recalls, and the form to open a petition with a reason.

The person recalled cannot block a recall: they are not among the question's eligible voters, so the
page shows them no ballot (and the record would refuse one).

In a federation (decision 0033) a seated delegate logged in at home opens and signs a petition against
the federation's cargo holder with the key their device keeps for that home (the forms' data-key-log,
the context's `away`, as on the federation's meeting, matter and move pages); the core says
whether that key stands in the federation now, and the page counts member assemblies.
"""

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ayllu.queries import cargo_forms
from ayllu.queries import cargos as cargo_queries
from ayllu.queries.federation_members import is_federation
from ayllu.queries.federations import list_delegates
from ayllu.queries.replayed import one_head
from ayllu.web.address_words import query_value

from . import page_cache
from .reader import for_reader
from .views_assembly import Away, signing_key
from .views_cargos import cargo_context


@dataclass(frozen=True, slots=True)
class _Signer:
    """Who reads a recall page as a signer: the key their recall acts would be signed with, and who they
    are in the record (a member id, or in a federation a delegate's key); `key_log`, the delegate's home
    record when they sign with the key this device keeps there ("" for a login to this record)."""

    key: str
    me: str
    key_log: str
    federation: bool

    def context(self, log: str) -> dict[str, object]:
        found: dict[str, object] = {
            "key_log": self.key_log,
            "signer": self.me,
            "federation_recall": self.federation,
        }
        if self.federation:
            found["delegates"] = list_delegates(log)  # a federation names holders and signers by key
        return found


def _signer(log: str, away: Away | None, *, key: str, me: str) -> _Signer:
    """The reader's own login, or in a federation a delegate logged in at home (`away`), signing with
    `key` (`signing_key`)."""
    federation = is_federation(log)
    if away is None:
        return _Signer(key=key, me=me, key_log="", federation=federation)
    return _Signer(key=key, me=away.key, key_log=away.log, federation=federation)


@require_GET
@one_head()
@page_cache.conditional_page("recall")
def recall(request: HttpRequest, log: str) -> HttpResponse:
    """Open recall petitions and votes, past recalls, and every current holder one may ask to recall."""
    context = cargo_context(request, log, "recall")
    now = context["now"]
    signer = _signer(log, context["away"], key=signing_key(context), me=context["me"])
    # A reason signed for members only is theirs to read: anyone else sees the "(members only)" mark.
    page = for_reader(cargo_queries.get_recall_page(log, now=now, me=signer.me), context["hidden"])
    # The core's answers (`may`): the petitions this reader may sign, the recall votes they may vote on
    # or close, the holders they may ask to recall.
    may = cargo_forms.get_recall_forms(log, key=signer.key, me=signer.me, now=now)
    context.update(
        open=page.open,
        past=page.past,
        holdings=page.holdings,
        needed=page.needed,
        threshold=page.threshold,
        may=may,
        petitionable=[h for h in page.holdings if (h.cargo, h.member) in may.petition],
        **signer.context(log),
    )
    return render(request, "web/cargos/recall.html", context)


@require_GET
@one_head()
def new_recall(request: HttpRequest, log: str) -> HttpResponse:
    """The form to open a recall petition against one current holder (`?cargo=&member=`), offered only
    when the core would accept the petition from this reader now."""
    context = cargo_context(request, log, "recall")
    signer = _signer(log, context["away"], key=signing_key(context), me=context["me"])
    holdings = cargo_queries.list_holdings(log, now=context["now"])
    cargo, member = query_value(request.GET, "cargo"), query_value(request.GET, "member")
    forms = cargo_forms.get_recall_forms(log, key=signer.key, me=signer.me, now=context["now"])
    context["holding"] = next(
        (h for h in holdings if (h.cargo, h.member) == (cargo, member) and (cargo, member) in forms.petition),
        None,
    )
    context.update(holdings=holdings, **signer.context(log))
    return render(request, "web/cargos/recall_new.html", context)
