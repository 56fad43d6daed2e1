"""Onboarding a council that already exists: its register of households (a spreadsheet, .xlsx or .ods,
or CSV; `ayllu.register_files`) becomes invitations.

A member uploads (or pastes) the register; the preview checks each line (`core.charter.register`) and
says what is wrong in words; the member picks the households to invite and gets one invitation link per
household (`views_invitations`, with the household's name in the signed token) and a sheet to print,
with a QR code per household, for door-to-door rounds. Nothing is stored and nothing is written to the
record: phones and e-mails are only read to offer "send by message" links on the page that lists the
invitations, and each household applies on its own device with its own key, like any newcomer.
"""

from typing import Any

import segno
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ayllu.core.charter.register import (
    MAX_BYTES,
    MAX_ROWS,
    Register,
    RegisterLine,
    check_register_lines,
)
from ayllu.queries import cargos as cargo_queries
from ayllu.register_files import read_register_file
from ayllu.register_words import file_problem, line_message

from .views_assembly import assembly_context
from .views_invitations import invitation_lifetime, make_invitation_token


def _known_names(log: str, hidden: frozenset[int]) -> list[str]:
    names = cargo_queries.get_household_names(log, hidden=hidden)
    return [*(h.household for h in cargo_queries.get_households(log)), *names.values()]


def _preview(register: Register) -> list[dict[str, Any]]:
    return [{"line": line, "message": line_message(line)} for line in register.lines]


def _qr(link: str) -> str:
    # segno writes the SVG from the link alone: no text of ours goes in unescaped.
    return mark_safe(segno.make(link, error="m").svg_inline(scale=1, omitsize=True, border=2, svgclass="qr"))  # noqa: S308


def _invitations(
    request: HttpRequest, log: str, me: str, lines: tuple[RegisterLine, ...]
) -> list[dict[str, Any]]:
    made = []
    for line in lines:
        token = make_invitation_token(log=log, inviter=me, household_name=line.name)
        link = request.build_absolute_uri(reverse("web:invitation", kwargs={"log": log, "token": token}))
        text = _("You are invited to join the assembly: %(link)s") % {"link": link}
        made.append(
            {
                "name": line.name,
                "link": link,
                "qr": _qr(link),
                "sms": f"sms:{line.phone}?{urlencode({'body': text})}" if line.phone else "",
                "mailto": f"mailto:{line.email}?{urlencode({'body': text})}" if line.email else "",
            }
        )
    return made


def _posted_lines(request: HttpRequest) -> list[tuple[int, str, str, str]]:
    """The lines the preview offered and the member kept ticked (hidden fields, one set per line)."""
    picked = set(request.POST.getlist("pick"))
    rows = []
    for index, line in enumerate(request.POST.getlist("line")):
        if line not in picked:
            continue
        values = [request.POST.getlist(name) for name in ("name", "phone", "email")]
        if not line.isdigit() or any(index >= len(v) for v in values):
            continue
        rows.append((int(line), values[0][index], values[1][index], values[2][index]))
    return rows


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest, log: str) -> HttpResponse:
    """Upload the register (GET the form; POST `do=preview`), then make the invitations (`do=invite`)."""
    context = assembly_context(request, log)
    me = context["me"]
    if not me:
        return HttpResponseRedirect(reverse("web:login", kwargs={"log": log}))
    context.update(section="members", max_rows=MAX_ROWS, max_kb=MAX_BYTES // 1024)
    if request.method == "GET":
        return render(request, "web/invitations/register.html", context)
    existing = _known_names(log, context["hidden"])
    if request.POST.get("do") == "invite":
        checked = check_register_lines(_posted_lines(request), existing=existing)
        if checked.problem:
            context["file_problem"] = file_problem(checked)
            return render(request, "web/invitations/register.html", context, status=400)
        context.update(
            invitations=_invitations(request, log, me, checked.invitable),
            days=invitation_lifetime() // (24 * 3600),
        )
        return render(request, "web/invitations/register_sheet.html", context)
    upload = request.FILES.get("register")
    data = upload.read(MAX_BYTES + 1) if upload is not None else request.POST.get("pasted", "").encode()
    found = read_register_file(data, existing=existing)
    if found.problem:
        context["file_problem"] = file_problem(found)
        return render(request, "web/invitations/register.html", context, status=400)
    context.update(
        sheet=found.sheet,
        preview=_preview(found),
        refused=sum(1 for line in found.lines if line.problem),
        flagged=sum(1 for line in found.lines if line.warning),
        invitable=len(found.invitable),
    )
    return render(request, "web/invitations/register.html", context)
