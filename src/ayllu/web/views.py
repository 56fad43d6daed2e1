"""Pages. Views stay thin: reads come from `ayllu.queries`, writes go through `ayllu.actions`."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from ayllu.queries import record as record_queries
from ayllu.storage.errors import RecordNotFound

from .errors import message_for


def home(request: HttpRequest) -> HttpResponse:
    """The node's front page: the assemblies whose records it keeps."""
    return render(request, "web/home.html", {"assemblies": record_queries.list_records()})


def record(request: HttpRequest, log: str) -> HttpResponse:
    """One assembly's record: its head, size, Merkle root and the last verification's result."""
    try:
        overview = record_queries.get_record_overview(log)
    except RecordNotFound:
        raise Http404(message_for("record_not_found", {"log": log})) from None
    verification = overview.last_verification
    problem = ""
    added = 0
    if verification is not None:
        added = max(overview.size - verification.size, 0)
        if not verification.ok and verification.problem_code:
            problem = message_for(verification.problem_code, {"seq": verification.problem_seq})
    context = {"record": overview, "problem": problem, "added": added}
    return render(request, "web/record.html", context)
