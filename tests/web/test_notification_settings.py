"""A member's notification settings page: only they set, see and delete their own address; a refused
value is named in the page's language and nothing is written."""

import re

from django.conf import settings
from django.test import Client

from ayllu.queries.pages import get_member_id
from ayllu.storage.models import NotificationSettings
from factories.stored import StoredAssembly, found_with_officers, log_in_as

FORM = {
    "email": "ana@example.org",
    "email_on": "1",
    "language": "en",
    "quiet_start": "22",
    "quiet_end": "7",
    "utc_offset": "-240",
    "digest": "1",
}


def page(log: str, lang: str = "en") -> str:
    return f"/{lang}/assembly/{log}/notifications/" if lang == "en" else f"/es/asamblea/{log}/avisos/"


def test_a_member_keeps_and_deletes_their_own_address(db: None, client: Client) -> None:
    # given a member logged in
    assembly = found_with_officers("Junta Vecinal Ajustes")
    log_in_as(client, assembly.log, assembly.members[0])
    me = get_member_id(assembly.log, key=assembly.members[0].public)
    # when they save their settings
    response = client.post(page(assembly.log), FORM)
    # then they are kept for them, and their page shows them
    assert response.status_code == 302
    row = NotificationSettings.objects.get(member=me)
    assert (row.email, row.language, row.quiet_start, row.quiet_end, row.digest) == (
        "ana@example.org",
        "en",
        22,
        7,
        True,
    )
    assert "ana@example.org" in client.get(page(assembly.log)).content.decode()
    # and another member's page does not show it
    other = Client()
    log_in_as(other, assembly.log, assembly.members[1])
    assert "ana@example.org" not in other.get(page(assembly.log)).content.decode()
    # when they delete their address
    client.post(page(assembly.log), {"do": "remove"})
    # then it is gone from the node; the rest stays
    row.refresh_from_db()
    assert (row.email, row.digest) == ("", True)


def _refused(assembly: StoredAssembly, client: Client, change: dict[str, str], *, lang: str = "es") -> str:
    response = client.post(page(assembly.log, lang), {**FORM, **change})
    assert response.status_code == 400
    return response.content.decode()


def test_a_bad_value_is_named_in_the_members_language_and_nothing_is_written(
    db: None, client: Client
) -> None:
    # given a member logged in, with no settings yet
    assembly = found_with_officers("Junta Vecinal Ajustes")
    log_in_as(client, assembly.log, assembly.members[0])
    # when they send an address that is none, half a quiet span, an hour that is no hour, a made-up zone
    # then each is refused with its reason in Spanish, and nothing is kept
    assert "Ese correo electrónico no es válido" in _refused(assembly, client, {"email": "ana.example.org"})
    assert "Las horas de silencio necesitan" in _refused(assembly, client, {"quiet_end": ""})
    assert "Las horas de silencio necesitan" in _refused(assembly, client, {"quiet_start": "25"})
    assert "Las horas de silencio necesitan" in _refused(assembly, client, {"quiet_start": "tarde"})
    assert "La zona horaria debe estar" in _refused(assembly, client, {"utc_offset": "9999"})
    assert "solo pueden ir en castellano o en inglés" in _refused(assembly, client, {"language": "fr"})
    assert "That e-mail address is not valid" in _refused(assembly, client, {"email": "a@"}, lang="en")
    assert NotificationSettings.objects.count() == 0
    # and the form shows again what they typed
    assert 'value="ana.example.org"' in _refused(assembly, client, {"email": "ana.example.org"})


def test_the_page_carries_no_csrf_token_and_its_forms_post_with_the_cookies(db: None) -> None:
    # given a member logged in, with Django's CSRF check on from then on, and no CSRF cookie yet
    assembly = found_with_officers("Junta Vecinal Ajustes")
    browser = Client()
    log_in_as(browser, assembly.log, assembly.members[0])
    browser.handler.enforce_csrf_checks = True
    del browser.cookies[settings.CSRF_COOKIE_NAME]
    # when they open the page, and save their settings as its script sends them: the cookie's token
    browser.get(page(assembly.log))
    token = browser.cookies[settings.CSRF_COOKIE_NAME].value
    saved = browser.post(page(assembly.log), {**FORM, "csrfmiddlewaretoken": token})
    html = browser.get(page(assembly.log)).content.decode()
    # then they are saved, and the page carries no token: each form (settings, deleting the address,
    # logging out) is filled from the cookie by its script (csrf-form.js)
    assert saved.status_code == 302 and NotificationSettings.objects.get().email == "ana@example.org"
    assert "csrfmiddlewaretoken" not in html and "web/js/csrf-form.js" in html
    forms = re.findall(r"<form [^>]*>", html)
    assert len(forms) == 3 and all("data-ayllu-csrf" in form for form in forms)
    # and a form sent without the token (no JavaScript) is refused with the page that says why,
    # while the one the script fills deletes the address
    bare = browser.post(page(assembly.log), {"do": "remove"})
    assert bare.status_code == 403 and "This form needs JavaScript" in bare.content.decode()
    assert NotificationSettings.objects.get().email == "ana@example.org"
    sent = browser.post(page(assembly.log), {"do": "remove", "csrfmiddlewaretoken": token})
    assert sent.status_code == 302 and NotificationSettings.objects.get().email == ""


def test_nobody_but_a_logged_in_member_keeps_settings(db: None, client: Client) -> None:
    # given an assembly and a visitor who is not logged in
    assembly = found_with_officers("Junta Vecinal Ajustes")
    # when they send the form
    response = client.post(page(assembly.log), FORM)
    # then they are sent to log in, and nothing is kept
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert NotificationSettings.objects.count() == 0
    assert "ana@example.org" not in client.get(page(assembly.log)).content.decode()


def test_before_anything_is_saved_messages_are_offered_in_the_pages_language(
    db: None, client: Client
) -> None:
    # given a member logged in who saved nothing yet
    assembly = found_with_officers("Junta Vecinal Ajustes")
    log_in_as(client, assembly.log, assembly.members[0])
    # when they open the page in Spanish, then in English
    spanish = client.get(page(assembly.log, "es")).content.decode()
    english = client.get(page(assembly.log)).content.decode()
    # then the language offered is the page's
    assert '<option value="es" selected>' in spanish and '<option value="en" selected>' not in spanish
    assert '<option value="en" selected>' in english


def test_the_members_page_leads_a_member_to_their_notifications_calendars_and_invitations(
    db: None, client: Client
) -> None:
    # given an assembly, a member logged in and a visitor
    assembly = found_with_officers("Junta Vecinal Caminos")
    log_in_as(client, assembly.log, assembly.members[0])
    members = {"en": f"/en/assembly/{assembly.log}/members/", "es": f"/es/asamblea/{assembly.log}/miembros/"}
    for lang, words in (("en", ("My notifications", "Calendars")), ("es", ("Mis avisos", "Calendarios"))):
        # when each opens the members' page, which the assembly's menu links to
        home = client.get(f"/{lang}/{'assembly' if lang == 'en' else 'asamblea'}/{assembly.log}/")
        assert f'href="{members[lang]}"' in home.content.decode()
        mine = client.get(members[lang]).content.decode()
        visitor = Client().get(members[lang]).content.decode()
        # then the member is led to their notifications, the calendars and the invitations (where the
        # register is imported), in the page's language; the visitor to the public calendars only
        calendars = f"/{lang}/{'assembly' if lang == 'en' else 'asamblea'}/{assembly.log}/"
        calendars += "calendars/" if lang == "en" else "calendarios/"
        invitations = calendars.replace("calendars/", "invitations/").replace("calendarios/", "invitaciones/")
        assert f'href="{page(assembly.log, lang)}">{words[0]}</a>' in mine
        assert f'href="{calendars}">{words[1]}</a>' in mine
        assert f'href="{invitations}"' in mine
        assert f'href="{calendars}">{words[1]}</a>' in visitor
        assert page(assembly.log, lang) not in visitor and invitations not in visitor
