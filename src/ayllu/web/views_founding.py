"""Founding an assembly from the browser: a draft on this node, each founder signing on their own device.

The first founder opens a draft (name, households; the default charter, changed later by amendment)
and passes one secret link to each founder. Every founder's page walks them through the draft's steps
(ayllu.actions.founding_drafts): create a device key for the draft and file its public half, endorse the
frozen content, and, for the first founder, sign the founding act. Nothing is written to any record
until every endorsement and the act's signature verify. The scripted steps are JSON POSTs to the same
page: {"key"}, {"sig"} or {"asig"}.

A federation is founded the same way (docs/federation-bodies.md, "Founding"): the found page's other
choice adds the charter's `federation` block and names each founder by their assembly (founding_form.py).
"""

import json
from collections.abc import Mapping
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
from ayllu.core.assembly.rule_errors import InvalidCharter
from ayllu.core.assembly.texts import NameLooksAlike, TextNotAllowed
from ayllu.core.charter.rules import founding_charter_data, parse_charter
from ayllu.core.errors import DomainError
from ayllu.core.federations.errors import NotAnAssemblyId
from ayllu.core.ledger.canonical import canonical_bytes
from ayllu.messages import message_for
from ayllu.queries import record as record_queries
from ayllu.queries.assembly import CharterMessage, charter_messages

from .address_words import in_query
from .auth import client_address
from .founding_form import FederationForm, empty_form, read_federation, share_words
from .replies import json_domain_error

MESSAGES: dict[str, Promise] = {
    "draft_not_found": _("This founding link is not valid on this node."),
    "draft_expired": ngettext_lazy(
        "This founding has expired: no founder took a step in it for %(days)s day, so the node closed it.",
        "This founding has expired: no founder took a step in it for %(days)s days, so the node closed it.",
        "days",
    ),
    "draft_invalid": _("Give the assembly a name and one household for each founder (at most 20)."),
    "federation_invalid": _("Give the federation a name and name the assembly of each founder (at most 20)."),
    "draft_key_in_use": _("That key is already filed by another founder: each founder needs their own."),
    "draft_seat_taken": _("This founder's place already has a device key: use the device that made it."),
    "draft_not_ready": _("That step is not open now. Reload the page to see where the founding stands."),
    "draft_bad_endorsement": _("The endorsement does not match this founder's key and the founding text."),
    "draft_not_first_founder": _("Only the first founder signs the founding act."),
}


def draft_message(code: str, detail: dict[str, Any] | None = None) -> str:
    """The sentence for a draft's refusal, in the request's language."""
    message = MESSAGES.get(code, MESSAGES["draft_not_ready"])
    if code == "draft_expired":  # the sentence agrees with its number of days
        return str(message % {"days": 0, **(detail or {})})
    return str(message)


def _draft_error(error: DomainError) -> JsonResponse:
    if error.code not in MESSAGES:
        return json_domain_error(error)
    body = {"code": error.code, "message": draft_message(error.code, error.detail), "detail": error.detail}
    return JsonResponse(body, status=error.status, json_dumps_params={"default": str})


def _seat_url(draft: str, token: str) -> str:
    return reverse("web:founding", kwargs={"draft": draft, "token": token})


def _charter_messages(data: Mapping[str, object]) -> tuple[CharterMessage, ...]:
    return charter_messages(parse_charter(data))


def _held() -> dict[str, str]:
    """The records this node holds, log id -> name, by name: the assemblies a federation's founder picks."""
    rows = record_queries.get_assembly_index().rows
    return {log: name for log, name, *_ in sorted(rows, key=lambda row: (row[1].casefold(), row[0]))}


@require_http_methods(["GET", "POST"])
@ensure_csrf_cookie  # the form's script sends the cookie's token: the page itself carries none
def found(request: HttpRequest) -> HttpResponse:
    """GET: the form to start a founding (?federation=1, in the page's words: a federation's). POST:
    open the draft and go to the first founder's page; a federation's form is checked whole first
    (founding_form.py)."""
    kind = request.POST.get("kind", "federation" if in_query(request.GET, "federation") else "assembly")
    kind = kind if kind in ("assembly", "federation") else "assembly"
    held = _held() if kind == "federation" else {}
    name, households, status = "", "", 200
    problems: list[str] = []
    federation: FederationForm = empty_form()
    if request.method == "POST":
        name = request.POST.get("name", "")
        households = request.POST.get("households", "")
        if kind == "federation":
            federation = read_federation(request.POST, held, add_row="add" in request.POST)
        if kind == "federation" and "add" in request.POST:
            pass  # one more founder row, nothing checked or opened yet
        elif federation.problems:
            problems, status = federation.problems, 400
        else:
            problems, status, opened = _open(request, kind, name, households, federation)
            if opened:
                return HttpResponseRedirect(opened)
    context = {
        "kind": kind,
        "name": name,
        "households": households,
        "problems": problems,
        "charter": _charter_messages(founding_charter_data()),
        "federation": federation,
        "held": held,
        "shares": share_words(),
    }
    return render(request, "web/founding/found.html", context, status=status)


def _open(
    request: HttpRequest, kind: str, name: str, households: str, federation: FederationForm
) -> tuple[list[str], int, str]:
    """Open the draft the found form asks for: (problems, status, the first founder's page or "")."""
    invalid = "federation_invalid" if kind == "federation" else "draft_invalid"
    try:
        draft = drafts.check_open_draft(
            name,
            households=federation.assemblies if kind == "federation" else households.splitlines(),
            address=client_address(request),
            request=request.POST.get("request", "")[:64],
            federation=federation.block if kind == "federation" else None,
        )
    except drafts.DraftInvalid:
        return [draft_message(invalid)], 400, ""
    except (TextNotAllowed, NameLooksAlike, NotAnAssemblyId, InvalidCharter) as error:
        return [message_for(error.code, error.detail)], 400, ""
    except WritesRateLimited as error:
        return [message_for(error.code, error.detail)], error.status, ""
    return [], 200, _seat_url(draft.draft, draft.seats[0].token)


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
        problem = {
            "problem": draft_message("draft_not_found"),
            "heading": _("Page not found"),
            "advice": _("Ask the first founder for your link again, or start a founding on this node."),
        }
        return render(request, "web/founding/problem.html", problem, status=drafts.DraftNotFound.status)
    except drafts.DraftExpired as error:
        problem = {
            "problem": draft_message(error.code, error.detail),
            "heading": _("This founding has expired"),
            "advice": _(
                "Nothing of it was written to any record. To found the assembly, start a new founding and "
                "send each founder their new link."
            ),
        }
        return render(request, "web/founding/problem.html", problem, status=error.status)
    step = found_draft.step
    content = drafts.founding_content(found_draft) if found_draft.content else None
    act = drafts.founding_act(found_draft).as_json() if step in ("signing", "founded") else None
    names = _held() if found_draft.federation else {}
    links = [
        {
            "seat": s,
            "url": request.build_absolute_uri(_seat_url(draft, s.token)),
            "name": names.get(s.household, ""),
        }
        for s in found_draft.seats
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
    if found_draft.federation:
        context |= _federation_context(found_draft, names)
        context["seat_name"] = names.get(seat.household, "")
    return render(request, "web/founding/founding.html", context)


def _federation_context(draft: drafts.Draft, names: dict[str, str]) -> dict[str, Any]:
    """What a federation's founding page adds: its rules in words and its founding assemblies, named
    when this node holds them (their delegates take their seats from their own mandates pages)."""
    block = draft.charter["federation"]
    ratification = block.get("ratification", {"rule": "assemblies", "share": "1/2"})
    shares = share_words()
    assemblies = [
        {"log": log, "name": names.get(log, "")} for log in dict.fromkeys(s.household for s in draft.seats)
    ]
    return {
        "rules": block,
        "ratification": ratification,
        "share": shares.get(ratification["share"], ratification["share"]),
        "households_share": shares.get(ratification.get("households_share", ""), ""),
        "assemblies": assemblies,
        "names": names,
    }


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
