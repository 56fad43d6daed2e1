"""Pages. Views stay thin: reads come from `ayllu.queries`, writes go through `ayllu.actions`."""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import get_language_from_path
from django.views import i18n
from django.views.decorators.http import require_GET

from ayllu.queries import record as record_queries
from ayllu.storage.errors import RecordNotFound

from .errors import message_for


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The node's front page: the assemblies whose records it keeps."""
    return render(request, "web/home.html", {"assemblies": record_queries.list_records()})


@require_GET
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


def set_language(request: HttpRequest) -> HttpResponse:
    """Switch language and stay on the same page, in its other-language URL.

    Django's own view resolves `next` in the language the browser asked for, which fails for a URL
    whose words are in the other language (/es/asamblea/... while the browser prefers English) and
    then sends the reader back to the page they wanted to leave. Resolve it in its own language.
    """
    next_url = request.POST.get("next", request.GET.get("next", ""))
    with translation.override(get_language_from_path(next_url) or settings.LANGUAGE_CODE):
        return i18n.set_language(request)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form refused by Django's CSRF check (CSRF_FAILURE_VIEW): say what it needs, in the page's
    language. Pages carry no CSRF token; the forms' script sends the one in this browser's cookie, so a
    form sent without JavaScript, or without cookies, is refused."""
    return render(request, "web/csrf_failure.html", {}, status=403)
