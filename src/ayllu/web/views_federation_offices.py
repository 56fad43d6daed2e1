"""A home assembly's federation offices and petitions (docs/federation-bodies.md).

For each federation this node holds whose member the assembly is: the offices and whose turn each is
(ours marked), the form to issue an office credential for the holder of the home cargo that serves it,
the petitions open in the federation (with the form that proposes the assembly back one, as a mandate
decision), the form that states a petition decision once the assembly took it, and, for each such home
entry not yet cited in the federation, the form that cites it there. That last form is signed with this
assembly's device key (`data-key-log`) and posted to the federation's record, which this node holds:
citing an entry into a federation is anyone's act, and the browser keeps its keys per assembly.
"""

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ayllu.core.errors import DomainError
from ayllu.core.ledger.record import Body, parse_entry
from ayllu.queries.citations import get_citation
from ayllu.queries.federation_offices import get_home_federation_offices
from ayllu.queries.replayed import one_head
from ayllu.storage import models, reads

from .views_cargos import cargo_context


def _cite_parts(log: str, seq: int) -> dict[str, str] | None:
    """The citation of entry `seq` of `log` and that entry's public body, as the citing act carries
    them (JSON texts); None when this node cannot cite it (no checkpoint covers it, body not held)."""
    record = reads.get_record(log)
    header = models.Entry.objects.filter(record=record, seq=seq).values_list("header", flat=True).first()
    if header is None:
        return None
    entry = parse_entry(bytes(header))
    hash, vis = entry.act.body_key()
    body = reads.body_of(record, hash, vis=vis)
    try:
        citation = get_citation(log, seq=seq)
    except DomainError:
        return None
    if not isinstance(body, Body):
        return None
    return {"cites": json.dumps([citation.as_json()]), "body": json.dumps(body.content())}


@require_GET
@one_head()
def federation_offices(request: HttpRequest, log: str) -> HttpResponse:
    """Our federations' offices by turn and overflow petitions, and what this reader may do about them."""
    context = cargo_context(request, log, "federation_offices")
    now, key = context["now"], context["login"].key if context["login"] else ""
    # The forms cite entries the node sealing the record signed a checkpoint for as it appended them.
    federations = get_home_federation_offices(log, key=key, now=now)
    for federation in federations:
        for credential in federation["uncited_credentials"]:
            credential["cite"] = _cite_parts(log, credential["seq"]) if context["me"] else None
        for backing in federation["backings"]:
            open_ = not backing["cited"] and not backing["complete"]
            backing["cite"] = _cite_parts(log, backing["seq"]) if open_ and context["me"] else None
    context.update(federations=federations, names=_all_names(federations))
    return render(request, "web/cargos/federation_offices.html", context)


def _all_names(federations: list[dict[str, Any]]) -> dict[str, str]:
    names: dict[str, str] = {}
    logs = {m for f in federations for m in f["members"]}
    names.update(dict(models.Record.objects.filter(log__in=logs).values_list("log", "name")))
    return names
