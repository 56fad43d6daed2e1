"""Pages about other nodes (issue 6): what this node mirrors and witnesses, evidence, following.

Reads come from `queries.nodes` and `queries.replication`; nothing here fetches from a peer. Following
is the operator's command (`ayllu follow`): the page that starts it answers only requests made on this
machine (docs/decisions/0003-follow-page.md) and runs the command itself (`follow_runner`), so what it
stores is verified exactly as from the command line.
"""

from collections import Counter
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_GET, require_http_methods

from ayllu.actions.record import node_keypair
from ayllu.queries import nodes as q
from ayllu.queries import record as record_queries
from ayllu.queries.replication import EvidenceItem, list_evidence
from ayllu.storage.errors import RecordNotFound

from . import follow_runner
from .errors import message_for
from .node_words import evidence_text, evidence_title, follow_problem

LOOPBACK = frozenset({"127.0.0.1", "::1", "::ffff:127.0.0.1"})
# A reverse proxy on the same machine makes every visitor look local; any of these headers says one
# is in between, so the request is not taken as the operator's.
PROXY_HEADERS = (
    "HTTP_FORWARDED",
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_REAL_IP",
)


def operator_here(request: HttpRequest) -> bool:
    """Whether the request comes from this machine directly, and the follow page is not turned off."""
    if getattr(settings, "AYLLU_FOLLOW_PAGE", "loopback") != "loopback":
        return False
    if request.META.get("REMOTE_ADDR", "") not in LOOPBACK:
        return False
    return not any(request.META.get(header) for header in PROXY_HEADERS)


@dataclass(frozen=True, slots=True)
class Shown:
    """A mirror as a page shows it: the row, and why its last sync stopped, in words."""

    mirror: q.Mirror
    problem: str


def _shown(mirrors: list[q.Mirror]) -> list[Shown]:
    return [Shown(m, follow_problem(m.problem) if m.problem else "") for m in mirrors]


@require_GET
def nodes(request: HttpRequest) -> HttpResponse:
    """Other nodes: the records this node mirrors, the peers it witnesses, cosignatures and evidence."""
    me = node_keypair().public
    evidence = Counter(item.log for item in list_evidence())
    names = {r.log: r.name for r in record_queries.list_records()}
    context = {
        "me": me,
        "mirrors": _shown(q.list_mirrors()),
        "witnessed": q.list_witnessed(witness=me),
        "held": sorted(q.list_cosignatures_held(besides=me).items(), key=lambda kv: kv[1][0].name),
        "evidence": [(log, names.get(log, ""), count) for log, count in sorted(evidence.items())],
        "operator": operator_here(request),
    }
    return render(request, "web/federation/nodes.html", context)


# --- evidence ------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class EvidenceShown:
    item: EvidenceItem
    title: str
    text: str


def _overview(log: str) -> record_queries.RecordOverview:
    try:
        return record_queries.get_record_overview(log)
    except RecordNotFound:
        raise Http404(message_for("record_not_found", {"log": log})) from None


@require_GET
def evidence(request: HttpRequest, log: str) -> HttpResponse:
    """Evidence that a node misbehaved with this assembly's record, in plain words, each downloadable."""
    overview = _overview(log)
    items = [
        EvidenceShown(item, evidence_title(item.kind), evidence_text(item.kind, seq=item.seq))
        for item in list_evidence(log)
    ]
    context = {"record": overview, "items": items, "me": node_keypair().public}
    return render(request, "web/federation/evidence.html", context)


@require_GET
def evidence_file(request: HttpRequest, log: str, evidence_id: str) -> HttpResponse:
    """One piece of evidence, its exact bytes, for `ayllu check-evidence FILE`."""
    found = next((item for item in list_evidence(log) if item.id == evidence_id), None)
    if found is None:
        raise Http404(message_for("record_not_found", {"log": log}))
    response = HttpResponse(found.raw + b"\n", content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="evidence-{found.kind}-{found.id[:12]}.json"'
    return response


# --- following -----------------------------------------------------------------------------------
class FollowForm(forms.Form):
    url = forms.URLField(
        label=_("The other node's address"),
        max_length=500,
        assume_scheme="https",
        help_text=_("For example http://192.168.1.20:8000: the address its members open in a browser."),
    )
    log = forms.RegexField(
        label=_("Record identifier (optional)"),
        regex=r"^[0-9a-f]{64}$",
        required=False,
        help_text=_("Leave it empty to follow every record the other node serves."),
        error_messages={"invalid": _("A record identifier is 64 characters, digits and a to f.")},
    )

    def clean_url(self) -> str:
        url: str = self.cleaned_data["url"]
        if urlsplit(url).scheme not in ("http", "https"):
            raise forms.ValidationError(_("The address must start with http:// or https://."))
        return url.rstrip("/")


def _jobs() -> list[dict[str, Any]]:
    mirrors = q.list_mirrors()
    shown = []
    for job in follow_runner.list_jobs():
        state = job.state
        rows = [m for m in mirrors if m.url == job.url and (not job.log or m.log == job.log)]
        problem = ""
        if state == follow_runner.ERROR:
            problem = follow_problem(job.error_code() or "peer_error")
        shown.append({"job": job, "state": state, "problem": problem, "mirrors": _shown(rows)})
    return shown


def _follow_context(request: HttpRequest, form: FollowForm, *, busy: bool = False) -> dict[str, Any]:
    jobs = _jobs()
    running = any(j["state"] == follow_runner.RUNNING for j in jobs)
    return {"form": form, "jobs": jobs, "running": running, "busy": busy, "operator": True}


@require_http_methods(["GET", "POST"])
@ensure_csrf_cookie  # the form's script sends the cookie's token: the page itself carries none
def follow(request: HttpRequest) -> HttpResponse:
    """Follow another node's assembly: the operator's command, from this machine only."""
    if not operator_here(request):
        return render(request, "web/federation/follow_refused.html", status=403)
    form = FollowForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            follow_runner.start_follow(form.cleaned_data["url"], log=form.cleaned_data["log"])
        except follow_runner.FollowAlreadyRunning:
            context = _follow_context(request, form, busy=True)
            return render(request, "web/federation/follow.html", context, status=409)
        return redirect("web:follow")
    status = 400 if request.method == "POST" else 200
    return render(request, "web/federation/follow.html", _follow_context(request, form), status=status)


@require_GET
def follow_progress(request: HttpRequest) -> HttpResponse:
    """The follows started here and how far they got (polled by the follow page while one runs)."""
    if not operator_here(request):
        return render(request, "web/federation/follow_refused.html", status=403)
    context = _follow_context(request, FollowForm())
    return render(request, "web/federation/includes/follow_jobs.html", context)
