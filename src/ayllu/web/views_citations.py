"""Citations of another record's entry in the browser (docs/record-format.md 14).

"Cite this entry" (a record's entry) gives the citation's text to copy, the same `ayllu cite` writes and
the API's citation route answers. "Cite an entry" (an assembly's page) takes such a text pasted by a
member and an optional note, checks it against this node's copy of the cited record before anything is
signed, and shows what is cited and how far it could be checked: by proof only, against this node's
copy, or through the cited assembly's rules. Only then does it offer the act form (`record.cited`),
which the member's device signs like every act. Checking writes nothing, except the evidence a forked or
rolled-back citation yields, which this node keeps as any check does (actions/citations.py).
"""

import json
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from ayllu.actions.citations import do_check_citation
from ayllu.actions.record import do_refresh_checkpoint
from ayllu.core.errors import DomainError
from ayllu.core.ledger.canonical import canonical_bytes
from ayllu.core.ledger.citations import CitationVerdict, read_citation_text
from ayllu.queries import record as record_queries
from ayllu.queries.citations import get_citation, get_cite_refusal, get_held_copy
from ayllu.storage.errors import RecordNotFound

from . import auth
from .errors import message_for
from .views_assembly import assembly_context, reader_key, session_context


@require_GET
def entry_citation(request: HttpRequest, log: str, seq: int) -> HttpResponse:
    """The citation of entry `seq` of record `log`, to copy into another record's act."""
    try:
        overview = record_queries.get_record_overview(log)
        # A node sealing the record signs a checkpoint of its head first, as `ayllu cite` does.
        do_refresh_checkpoint(log)
        citation = get_citation(log, seq=seq)
    except RecordNotFound:
        raise Http404(message_for("record_not_found", {"log": log})) from None
    except DomainError as error:
        # Not an entry of the record, or no checkpoint kept here covers it yet (a mirror): say which.
        return render(request, "404.html", {"message": message_for(error.code, error.detail)}, status=404)
    login = auth.current_login(request)
    context = {
        "record": overview,
        "citation": citation,
        "text": citation.raw().decode("utf-8"),
        # The assembly the reader is logged in to, where they may cite it (not the cited record itself).
        "cite_from": login.log if login is not None and login.log != log else "",
        **session_context(request, log),
    }
    return render(request, "web/record/citation.html", context)


def _cited_name(log: str) -> str:
    try:
        return record_queries.get_record_overview(log).name
    except RecordNotFound:
        return ""


@require_http_methods(["GET", "POST"])
def cite(request: HttpRequest, log: str) -> HttpResponse:
    """GET: the form to paste a citation and a note. POST: check them and show what is cited and how
    far it was checked, with the act form to sign it, or the reason it cannot be cited."""
    context = assembly_context(request, log)
    context.update(section="record", text="", note="", problem="", verdict=None, refused="", cites="")
    status = 200
    if request.method == "POST":
        text = request.POST.get("citation", "")
        note = request.POST.get("note", "").strip()
        context.update(text=text, note=note)
        try:
            verdict, cites = _check(text)
        except DomainError as error:
            context["problem"] = message_for(error.code, error.detail)
            context["evidence_kept"] = "evidence_id" in error.detail
            status = error.status
        else:
            context.update(verdict=verdict, cites=cites, cited_name=_cited_name(verdict.log))
            if context["me"]:
                found = get_cite_refusal(
                    log, key=reader_key(context), cites=json.loads(cites), note=note, now=context["now"]
                )
                context["refused"] = "" if found is None else message_for(found.code, found.detail)
    return render(request, "web/assembly/cite.html", context, status=status)


def _check(text: str) -> tuple[CitationVerdict, str]:
    """Read a pasted citation (its canonical text; space around it ignored) and check it against this
    node's copy of the cited record; the verdict and the act's `cites` as canonical JSON text."""
    citation = read_citation_text(text)
    verdict = do_check_citation(citation, held=get_held_copy(citation))
    cites: list[Any] = [citation.as_json()]
    return verdict, canonical_bytes(cites).decode("utf-8")
