"""Invitations: a member makes a link that brings a newcomer to apply to their assembly.

An invitation grants nothing and writes nothing to the record: anyone may apply (`member.applied` is an
act a non-member signs with their own new key), and only the charter's admission route admits them. The
link only tells the newcomer who invited them and walks them through it: set up this device's key, apply
with their household, then be sponsored (or admitted by decision) as the charter says.

The link is signed by this node (Django's signing, salted, with a time limit) so a newcomer cannot be
shown a made-up inviter; it names the inviter's member id, and opening it re-checks in the record that
the inviter is still a member. Only a member logged in to this assembly may make one.
"""

from typing import Any

from django.conf import settings
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ayllu.queries import assembly as q
from ayllu.queries import cargos as cargo_queries
from ayllu.queries import pages

from .views_assembly import assembly_context

SALT = "ayllu.web.invitation"
DEFAULT_SECONDS = 14 * 24 * 3600


def invitation_lifetime() -> int:
    """How many seconds an invitation link stays good (AYLLU_INVITATION_SECONDS, 14 days by default)."""
    return int(getattr(settings, "AYLLU_INVITATION_SECONDS", DEFAULT_SECONDS))


def make_invitation_token(*, log: str, inviter: str, household_name: str = "") -> str:
    """A token naming the assembly and the inviting member, signed by this node with the time it was made;
    and, for an invitation made from the council's register (views_register.py), the name the invited
    household is known by, which its application form then offers."""
    data = {"log": log, "by": inviter}
    if household_name:
        data["name"] = household_name
    return signing.dumps(data, salt=SALT, compress=True)


def _invalid_link() -> Http404:
    """A link that is no invitation of this assembly: most often one cut short or mistyped on the way."""
    return Http404(
        _(
            "This invitation link is not valid: it may have been cut or mistyped. "
            "Ask the member who invited you to send it again."
        )
    )


def read_invitation_token(token: str, *, log: str) -> tuple[str, bool, str]:
    """The inviter named by a token for `log`, whether it has expired, and the invited household's name
    ("" when the token names none); raise Http404 for a forged one."""
    try:
        data = signing.loads(token, salt=SALT, max_age=invitation_lifetime())
        expired = False
    except signing.SignatureExpired:
        data = signing.loads(token, salt=SALT)
        expired = True
    except signing.BadSignature:
        raise _invalid_link() from None
    if not isinstance(data, dict) or data.get("log") != log or not isinstance(data.get("by"), str):
        raise _invalid_link()
    name = data.get("name", "")
    return data["by"], expired, name if isinstance(name, str) else ""


def _admission(log: str) -> dict[str, Any]:
    charter = q.get_charter(log)
    admission = charter.data.get("admission", {})
    messages = [m for m in charter.messages if m.id.startswith("charter.admission")]
    by_sponsors = admission.get("by") == "sponsorship"
    return {"by_sponsors": by_sponsors, "sponsors": admission.get("sponsors", 0), "messages": messages}


@require_http_methods(["GET", "POST"])
def invitations(request: HttpRequest, log: str) -> HttpResponse:
    """A member makes an invitation link (POST) and sees it to pass on; others are sent to log in."""
    context = assembly_context(request, log)
    if not context["me"]:
        return HttpResponseRedirect(reverse("web:login", kwargs={"log": log}))
    link = ""
    if request.method == "POST":
        token = make_invitation_token(log=log, inviter=context["me"])
        link = request.build_absolute_uri(reverse("web:invitation", kwargs={"log": log, "token": token}))
    days = invitation_lifetime() // (24 * 3600)
    context.update(section="members", link=link, days=days, admission=_admission(log))
    return render(request, "web/invitations/invitations.html", context)


@require_GET
def invitation(request: HttpRequest, log: str, token: str) -> HttpResponse:
    """The newcomer's page: who invites them, the admission rule in plain words, key set-up and applying."""
    context = assembly_context(request, log)
    inviter, expired, household_name = read_invitation_token(token, log=log)
    person = pages.get_people(log).get(inviter)
    valid = not expired and person is not None and bool(person.current)
    context.update(
        section="",
        inviter=person,
        # The household the applicant may join by its id (the inviter's); a new one gets a fresh id made
        # on the applicant's device, and its name is words for members only.
        inviter_household=cargo_queries.get_household_of(log, member=inviter) if valid else "",
        valid=valid,
        expired=expired,
        household_name=household_name,
        admission=_admission(log),
        # An application waits outside the record this long for a member to take it in (decision 0011).
        waiting_days=int(settings.AYLLU_WAITING_DAYS),
    )
    status = 200 if valid else 410
    return render(request, "web/invitations/invitation.html", context, status=status)
