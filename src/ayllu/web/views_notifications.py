"""A member's notification settings: their e-mail address, the channels, quiet hours, the daily digest,
and what was sent to them or could not be (their dead letters).

Only the logged-in member reads and changes their own settings; the address is kept on this node only
(never in the record, never replicated or exported) and deleted by the member with one button. A refused
change says why in the page's language and changes nothing.
"""

from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_http_methods

from ayllu.actions.notifications import (
    MAX_OFFSET,
    MIN_OFFSET,
    NotificationSettingsInvalid,
    SettingsChange,
    do_add_push_subscription,
    do_remove_contact,
    do_remove_push_subscription,
    do_set_notification_settings,
)
from ayllu.messages import channel_name, delivery_failure, message_for, reminder_kind_words
from ayllu.queries.notifications import get_notification_prefs, get_push_public_key, list_outbox
from ayllu.storage.member_settings import SETTINGS_FIELDS
from ayllu.web.address_words import query_name, query_value

from .views_assembly import assembly_context


def _hour(value: str, *, reason: str) -> int | None:
    if value.strip() == "":
        return None
    try:
        return int(value)
    except ValueError:
        raise NotificationSettingsInvalid(reason=reason) from None


def change_from_form(data: Any) -> SettingsChange:
    """The change a settings form asks for; raise NotificationSettingsInvalid for a value that is not one."""
    offset = _hour(str(data.get("utc_offset", "")), reason="utc_offset")
    change = SettingsChange(
        email=str(data.get("email", "")),
        email_on=data.get("email_on") == "1",
        language=str(data.get("language", "")),
        quiet_start=_hour(str(data.get("quiet_start", "")), reason="quiet_hours"),
        quiet_end=_hour(str(data.get("quiet_end", "")), reason="quiet_hours"),
        digest=data.get("digest") == "1",
    )
    return change if offset is None else replace(change, utc_offset=offset)


def _offsets() -> list[tuple[str, str]]:
    choices = []
    for minutes in range(MIN_OFFSET, MAX_OFFSET + 1, 30):
        hours, rest = divmod(abs(minutes), 60)
        choices.append((str(minutes), f"UTC{'+' if minutes >= 0 else '-'}{hours}:{rest:02d}"))
    return choices


def _values(data: Any) -> dict[str, str]:
    """The form's fields as sent, to show them again with the error."""
    return {name: str(data.get(name, "")) for name in SETTINGS_FIELDS}


def _saved_values(log: str, *, member: str) -> dict[str, str]:
    prefs = get_notification_prefs(log, member=member)
    return {
        "email": prefs.email,
        "email_on": "1" if prefs.email_on else "",
        # Before anything is saved, messages are offered in the language the member reads this page in.
        "language": prefs.language if prefs.saved else (translation.get_language() or "es")[:2],
        "quiet_start": "" if prefs.quiet_start is None else str(prefs.quiet_start),
        "quiet_end": "" if prefs.quiet_end is None else str(prefs.quiet_end),
        "utc_offset": str(prefs.utc_offset),
        "digest": "1" if prefs.digest else "",
    }


@require_http_methods(["GET", "POST"])
def notifications(request: HttpRequest, log: str) -> HttpResponse:
    """The logged-in member's notification settings (POST saves them, or `do=remove` deletes the address)."""
    context = assembly_context(request, log)
    me = context["me"]
    error = ""
    status = 200
    if request.method == "POST":
        if not me:
            return HttpResponseRedirect(reverse("web:login", kwargs={"log": log}))
        try:
            do = request.POST.get("do")
            if do == "remove":
                do_remove_contact(log, member=me)
            elif do == "push_add":
                do_add_push_subscription(
                    log,
                    member=me,
                    endpoint=request.POST.get("endpoint", ""),
                    p256dh=request.POST.get("p256dh", ""),
                    auth=request.POST.get("auth", ""),
                )
            elif do == "push_remove":
                do_remove_push_subscription(log, member=me, endpoint=request.POST.get("endpoint", ""))
            else:
                do_set_notification_settings(log, member=me, change=change_from_form(request.POST))
        except NotificationSettingsInvalid as refused:
            error, status = message_for(refused.code, refused.detail), 400
        else:
            return HttpResponseRedirect(
                reverse("web:notifications", kwargs={"log": log}) + f"?{query_name('saved')}=1"
            )
    outbox = list_outbox(log, member=me, limit=30) if me else []
    devices = get_notification_prefs(log, member=me).devices if me else ()
    context.update(
        section="members",
        values=_values(request.POST) if error else _saved_values(log, member=me),
        error=error,
        saved=query_value(request.GET, "saved") == "1" and not error,
        hours=[str(h) for h in range(24)],
        offsets=_offsets(),
        dead=[
            (reminder_kind_words(m.reminder), channel_name(m.channel), delivery_failure(m.failure))
            for m in outbox
            if m.status == "dead"
        ],
        recent=[(m, reminder_kind_words(m.reminder)) for m in outbox if m.status != "dead"],
        push_key=get_push_public_key() if me else "",
        devices=[(d.endpoint, urlsplit(d.endpoint).hostname or "") for d in devices],
    )
    return render(request, "web/assembly/notifications.html", context, status=status)


PUSH_WORKER = Path(__file__).parent / "static" / "web" / "js" / "push-sw.js"


def push_worker(request: HttpRequest) -> HttpResponse:
    """The Web Push service worker, at the node's root so that its scope is every page (decision 0017)."""
    answer = HttpResponse(PUSH_WORKER.read_bytes(), content_type="text/javascript; charset=utf-8")
    answer["Cache-Control"] = "no-cache"
    return answer
