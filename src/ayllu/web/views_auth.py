"""Pages and routes of the device key: set up this device, log in with it, log out.

Reading needs no login and no JavaScript; logging in needs the device key, so it needs JavaScript.
"""

import json
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_GET, require_POST

from ayllu.actions.record import node_keypair
from ayllu.queries import record as record_queries
from ayllu.queries.members import list_founding_keys
from ayllu.storage.errors import RecordNotFound

from . import auth
from .errors import message_for
from .replies import json_domain_error, json_error
from .views_assembly import session_context


def _overview(log: str) -> record_queries.RecordOverview:
    try:
        return record_queries.get_record_overview(log)
    except RecordNotFound:
        raise Http404(message_for("record_not_found", {"log": log})) from None


def _json_object(request: HttpRequest) -> dict[str, Any] | None:
    try:
        value = json.loads(request.body or b"{}")
    except (ValueError, RecursionError):  # not JSON or UTF-8, too many digits, or nested too deep
        return None
    return value if isinstance(value, dict) else None


@require_GET
@ensure_csrf_cookie  # the page's script sends a signed act with the cookie's token
def device(request: HttpRequest, log: str) -> HttpResponse:
    """Set up this device: create its key for the assembly (in the browser) and show the public half."""
    context = {
        "record": _overview(log),
        "founders": json.dumps(list_founding_keys(log)),
        **session_context(request, log),
    }
    return render(request, "web/device.html", context)


@ensure_csrf_cookie  # the page's script posts the signed challenge with the cookie's token
def login(request: HttpRequest, log: str) -> HttpResponse:
    """GET: the login page. POST (JSON): check a signed challenge and start the member's session."""
    if request.method == "POST":
        return _check_login(request, log)
    if request.method != "GET":
        return HttpResponse(status=405, headers={"Allow": "GET, POST"})
    context = {
        "record": _overview(log),
        "founders": json.dumps(list_founding_keys(log)),
        **session_context(request, log),  # `login`: the reader logged in to this record, or None
    }
    return render(request, "web/login.html", context)


def _check_login(request: HttpRequest, log: str) -> JsonResponse:
    data = _json_object(request)
    if data is None:
        return json_error("login_malformed")
    key, challenge, signature = data.get("key"), data.get("challenge"), data.get("signature")
    if not (isinstance(key, str) and isinstance(challenge, str) and isinstance(signature, str)):
        request.session.pop(auth.SESSION_CHALLENGE, None)
        return json_error("login_malformed")
    node = node_keypair().public
    try:
        member = auth.check_login(
            request, node=node, log=log, key=key, challenge=challenge, signature=signature
        )
    except auth.LoginError as error:
        return json_domain_error(error)
    auth.do_login(request, member)
    return JsonResponse({"ok": True, "next": reverse("web:assembly", kwargs={"log": log})})


@require_POST
def login_challenge(request: HttpRequest, log: str) -> JsonResponse:
    """Issue a one-time login challenge for the assembly, with what the device must sign beside it."""
    try:
        auth.check_challenge_rate(request)
        record_queries.get_record_overview(log)
    except (auth.LoginError, RecordNotFound) as error:
        return json_domain_error(error)
    challenge = auth.issue_challenge(request, log=log)
    statement = auth.login_statement(
        node=node_keypair().public, log=log, challenge=challenge, origin=auth.node_origin(request)
    )
    return JsonResponse({**statement, "expires_in": auth.challenge_lifetime()})


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    """End the session and go back to the node's front page."""
    auth.do_logout(request)
    return HttpResponseRedirect(reverse("web:home"))
