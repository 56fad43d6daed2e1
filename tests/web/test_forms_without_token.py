"""The found, invitations, register and calendars pages carry no CSRF token: each form is marked
data-ayllu-csrf and filled from Django's CSRF cookie by csrf-form.js, as on every assembly page. With
Django's CSRF check on, the form sent as the script sends it is accepted; sent bare (no JavaScript) it
gets the page that says the form needs it."""

import re
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.test import Client

from ayllu.actions.record import forget_replayed_state
from ayllu.storage.models import FoundingDraft
from factories.stored import StoredAssembly, found_with_officers, log_in_as


@dataclass(frozen=True)
class FormPage:
    """A page with forms, and what one of them sends."""

    path: str
    form: dict[str, str]


def _pages(log: str) -> dict[str, FormPage]:
    return {
        "found": FormPage("/en/found/", {"name": "Junta Nueva", "households": "casa-1\ncasa-2"}),
        "invitations": FormPage(f"/en/assembly/{log}/invitations/", {}),
        "register": FormPage(
            f"/en/assembly/{log}/invitations/register/", {"do": "preview", "pasted": "name\nAna"}
        ),
        "calendars": FormPage(f"/en/assembly/{log}/calendars/", {"do": "make"}),
    }


def _accepted(name: str, response: bytes, status: int) -> bool:
    """Whether a form the page's script sent did what it asks."""
    if name == "found":
        return status == 302 and FoundingDraft.objects.count() == 1
    if name == "invitations":
        return status == 200 and b"data-ayllu-invitation-link" in response
    if name == "register":
        return status == 200 and b"data-ayllu-register-line" in response
    return status == 302


@pytest.fixture
def assembly(db: None) -> StoredAssembly:
    forget_replayed_state()
    return found_with_officers("Junta Vecinal Sin Token")


@pytest.mark.parametrize("name", ["found", "invitations", "register", "calendars"])
def test_the_page_carries_no_csrf_token_and_its_forms_post_with_the_cookies(
    assembly: StoredAssembly, name: str
) -> None:
    # given a member logged in, with Django's CSRF check on from then on, and no CSRF cookie yet
    browser = Client()
    log_in_as(browser, assembly.log, assembly.members[0])
    browser.handler.enforce_csrf_checks = True
    del browser.cookies[settings.CSRF_COOKIE_NAME]
    target = _pages(assembly.log)[name]
    # when they open the page
    shown = browser.get(target.path)
    html = shown.content.decode()
    # then it carries no token, its forms are the script's to fill, and it sets the cookie the script reads
    assert shown.status_code == 200
    assert "csrfmiddlewaretoken" not in html and "web/js/csrf-form.js" in html
    forms = [form for form in re.findall(r"<form [^>]*>", html) if 'method="post"' in form]
    assert forms and all("data-ayllu-csrf" in form for form in forms)
    token = browser.cookies[settings.CSRF_COOKIE_NAME].value
    # and its form sent without the token (no JavaScript) is refused with the page that says why,
    # while the one the script fills is accepted
    bare = browser.post(target.path, target.form)
    assert bare.status_code == 403 and "This form needs JavaScript" in bare.content.decode()
    sent = browser.post(target.path, {**target.form, "csrfmiddlewaretoken": token})
    assert _accepted(name, sent.content, sent.status_code)
