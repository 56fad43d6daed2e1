"""Founding an assembly from the browser: a draft on this node, each founder signing on their own device.

The first founder opens a draft (name, households; the default charter, changed later by amendment)
and passes one secret link to each founder. Every founder's page walks them through the draft's steps
(ayllu.actions.founding_drafts): create a device key for the draft and file its public half, endorse the
frozen content, and, for the first founder, sign the founding act. Nothing is written to any record
until every endorsement and the act's signature verify. The scripted steps are JSON POSTs to the same
page: {"key"}, {"sig"} or {"asig"}.
"""

import json
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_http_methods

from ayllu.actions import founding_drafts as drafts
from ayllu.actions.rate_limits import (
    AnonymousWrite,
    WritesRateLimited,
    check_anonymous_act,
)
from ayllu.core.assembly.texts import NameLooksAlike, TextNotAllowed
from ayllu.core.charter.plain import render_charter
from ayllu.core.charter.rules import founding_charter_data, parse_charter
from ayllu.core.errors import DomainError
from ayllu.core.ledger.canonical import canonical_bytes
from ayllu.messages import message_for

from .auth import client_address
from .replies import json_domain_error

MESSAGES: dict[str, Promise] = {
    "draft_not_found": _("This founding link is not valid on this node."),
    "draft_expired": ngettext_lazy(
        "This founding has expired: no founder took a step in it for %(days)s day, so the node closed it.",
        "This founding has expired: no founder took a step in it for %(days)s days, so the node closed it.",
        "days",
    ),
    "draft_invalid": _("Give the assembly a name and one household for each founder (at most 20)."),
    "draft_key_in_use": _("That key is already filed by another founder: each founder needs their own."),
    "draft_seat_taken": _("This founder's place already has a device key: use the device that made it."),
    "draft_not_ready": _("That step is not open now. Reload the page to see where the founding stands."),
    "draft_bad_endorsement": _("The endorsement does not match this founder's key and the founding text."),
    "draft_not_first_founder": _("Only the first founder signs the founding act."),
}


# Refusals answered with a status of their own; every other draft refusal is a 400.
STATUS = {"draft_not_found": 404, "draft_expired": 410}


def draft_message(code: str, detail: dict[str, Any] | None = None) -> str:
    """The sentence for a draft's refusal, in the request's language."""
    message = MESSAGES.get(code, MESSAGES["draft_not_ready"])
    if code == "draft_expired":  # the sentence agrees with its number of days
        return str(message % {"days": 0, **(detail or {})})
    return str(message)


def _draft_error(error: DomainError) -> JsonResponse:
    if error.code not in MESSAGES:
        return json_domain_error(error)
    status = STATUS.get(error.code, 400)
    body = {"code": error.code, "message": draft_message(error.code, error.detail), "detail": error.detail}
    return JsonResponse(body, status=status, json_dumps_params={"default": str})


def _seat_url(draft: str, token: str) -> str:
    return reverse("web:founding", kwargs={"draft": draft, "token": token})


def _charter_messages(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"id": mid, "params": params} for mid, params in render_charter(parse_charter(data))]


@require_http_methods(["GET", "POST"])
def found(request: HttpRequest) -> HttpResponse:
    """GET: the form to start a founding. POST: open the draft and go to the first founder's page."""
    name, households, problem, status = "", "", "", 200
    if request.method == "POST":
        name = request.POST.get("name", "")
        households = request.POST.get("households", "")
        try:
            draft = drafts.check_open_draft(
                name,
                households=households.splitlines(),
                address=client_address(request),
                request=request.POST.get("request", "")[:64],
            )
        except drafts.DraftInvalid:
            problem, status = draft_message("draft_invalid"), 400
        except (TextNotAllowed, NameLooksAlike) as error:
            problem, status = message_for(error.code, error.detail), 400
        except WritesRateLimited as error:
            problem, status = message_for(error.code, error.detail), error.status
        else:
            return HttpResponseRedirect(_seat_url(draft.draft, draft.seats[0].token))
    charter = _charter_messages(founding_charter_data())
    context = {"name": name, "households": households, "problem": problem, "charter": charter}
    return render(request, "web/founding/found.html", context, status=status)


@require_http_methods(["GET", "POST"])
@ensure_csrf_cookie  # the page's script posts each founder's step with the cookie's token
def founding(request: HttpRequest, draft: str, token: str) -> HttpResponse:
    """One founder's page of a draft: the step the founding is at, and what this founder does now."""
    if request.method == "POST":
        return _step(request, draft, token)
    try:
        found_draft = drafts.get_draft(draft)
        seat = found_draft.seat(token)
    except drafts.DraftNotFound:
        problem = {"problem": draft_message("draft_not_found")}
        return render(request, "web/founding/not_found.html", problem, status=404)
    except drafts.DraftExpired as error:
        problem = {"problem": draft_message(error.code, error.detail)}
        return render(request, "web/founding/expired.html", problem, status=410)
    step = found_draft.step
    content = drafts.founding_content(found_draft) if found_draft.content else None
    act = drafts.founding_act(found_draft).as_json() if step in ("signing", "founded") else None
    links = [
        {"seat": s, "url": request.build_absolute_uri(_seat_url(draft, s.token))} for s in found_draft.seats
    ]
    context: dict[str, Any] = {
        "draft": found_draft,
        "seat": seat,
        "step": step,
        "first": seat.position == 0,
        "links": links,
        "content_text": canonical_bytes(content).decode() if content else "",
        "act_text": json.dumps(act) if act else "",
        "log": act["log"] if step == "founded" and act else "",
        "charter": _charter_messages(found_draft.charter),
        "keys_filed": sum(1 for s in found_draft.seats if s.key),
        "endorsed": sum(1 for s in found_draft.seats if s.sig),
    }
    return render(request, "web/founding/founding.html", context)


def _step(request: HttpRequest, draft: str, token: str) -> JsonResponse:
    try:
        drafts.get_draft(draft).seat(token)
        data = json.loads(request.body or b"{}")
    except (drafts.DraftNotFound, drafts.DraftExpired) as error:
        return _draft_error(error)
    except (ValueError, RecursionError):  # not JSON or UTF-8, too many digits, or nested too deep
        data = None
    if not isinstance(data, dict) or len(data) != 1 or not all(isinstance(v, str) for v in data.values()):
        return _draft_error(drafts.DraftInvalid(field="step"))
    try:
        if "key" in data:
            drafts.check_file_key(draft, token, key=data["key"])
        elif "sig" in data:
            drafts.check_endorse(draft, token, sig=data["sig"])
        elif "asig" in data:
            # The act this signature is over: a resend of a founding already made is not counted.
            act = drafts.founding_act(drafts.get_draft(draft))
            check_anonymous_act(AnonymousWrite.FOUNDING, act=act, address=client_address(request))
            receipt = drafts.check_sign_founding(draft, token, asig=data["asig"])
            return JsonResponse({"ok": True, "log": receipt.log}, status=201)
        else:
            return _draft_error(drafts.DraftInvalid(field="step"))
    except DomainError as error:
        return _draft_error(error)
    return JsonResponse({"ok": True})
