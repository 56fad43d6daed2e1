"""The node's home and an assembly's record page, read in Spanish and in English without JavaScript."""

import re

from django.conf import settings
from django.test import Client

from factories.stored import StoredAssembly


def test_home_lists_the_assemblies_in_spanish(client: Client, make_assembly) -> None:
    # given
    first = make_assembly("Junta Vecinal Villa Esperanza")
    second = make_assembly("Cooperativa de Agua Senkata", notices=0)
    # when
    response = client.get("/es/")
    # then
    page = response.content.decode()
    assert response.status_code == 200
    assert "Asambleas en este nodo" in page
    assert f'href="/es/asamblea/{first.log}/"' in page  # members land on "Now", not the record
    assert f'href="/es/asamblea/{second.log}/"' in page
    assert "Junta Vecinal Villa Esperanza" in page and "Cooperativa de Agua Senkata" in page
    assert "4 entradas" in page and "1 entrada<" in page
    assert "Aún sin verificar" in page


def test_home_lists_the_assemblies_in_english(client: Client, verified_assembly: StoredAssembly) -> None:
    # when
    response = client.get("/en/")
    # then
    page = response.content.decode()
    assert "Assemblies on this node" in page
    assert f'href="/en/assembly/{verified_assembly.log}/"' in page
    assert "4 entries" in page
    assert ">Verified<" in page


def test_home_says_so_when_the_node_holds_no_assembly(client: Client, db: None) -> None:
    # when
    response = client.get("/es/")
    # then
    assert "Este nodo todavía no guarda ninguna asamblea." in response.content.decode()


def test_record_page_shows_head_size_root_and_a_passed_verification(
    client: Client, verified_assembly: StoredAssembly
) -> None:
    # given
    from ayllu.queries.record import get_record_overview

    overview = get_record_overview(verified_assembly.log)
    # when
    response = client.get(f"/es/asamblea/{verified_assembly.log}/registro/")
    # then
    page = response.content.decode()
    assert response.status_code == 200
    assert '<h1 dir="auto">Junta Vecinal Villa Esperanza</h1>' in page
    assert f"{overview.head[:12]}…" in page and overview.head in page
    assert f"{overview.root[:12]}…" in page and overview.root in page
    assert '<span class="number">4</span>' in page
    assert "Verificado: el registro está íntegro" in page
    assert "Se comprobaron las 4 entradas" in page
    assert "5 de marzo de 2026 a las 10:30" in page


def test_record_page_in_english_writes_dates_the_english_way(
    client: Client, verified_assembly: StoredAssembly
) -> None:
    # when
    response = client.get(f"/en/assembly/{verified_assembly.log}/record/")
    # then
    page = response.content.decode()
    assert "Verified: the record holds" in page
    assert "All 4 entries were checked" in page
    assert "March 5, 2026, 10:30 a.m." in page


def test_record_page_names_the_failed_entry_and_why_in_both_languages(
    client: Client, broken_assembly: StoredAssembly
) -> None:
    # when
    spanish = client.get(f"/es/asamblea/{broken_assembly.log}/registro/").content.decode()
    english = client.get(f"/en/assembly/{broken_assembly.log}/record/").content.decode()
    # then
    assert "La verificación falló" in spanish
    assert "La comprobación se detuvo en la entrada número 3." in spanish
    assert "La firma de quien hizo este acto no coincide." in spanish
    assert "Verification failed" in english
    assert "The check stopped at entry number 3." in english
    assert "The signature of the member who made this act does not match." in english


def test_record_page_counts_entries_added_after_the_last_check(
    client: Client, assembly: StoredAssembly
) -> None:
    # given
    from factories.stored import record_verification

    record_verification(assembly.log, ok=True, size=2)
    # when
    page = client.get(f"/en/assembly/{assembly.log}/record/").content.decode()
    # then
    assert "All 2 entries were checked" in page
    assert "2 entries were added after this check." in page


def test_record_page_of_an_unverified_record_says_so(client: Client, assembly: StoredAssembly) -> None:
    # when
    page = client.get(f"/es/asamblea/{assembly.log}/registro/").content.decode()
    # then
    assert "Nadie ha verificado todavía este registro en este nodo." in page


def test_unknown_record_is_a_translated_404(client: Client, db: None) -> None:
    # when
    response = client.get("/es/asamblea/" + "ab" * 32 + "/registro/")
    # then
    assert response.status_code == 404
    assert "Página no encontrada" in response.content.decode()


def test_every_page_carries_the_strict_csp(client: Client, assembly: StoredAssembly) -> None:
    # given
    urls = ["/es/", "/en/", f"/es/asamblea/{assembly.log}/registro/", "/es/no-such-page/"]
    for url in urls:
        # when
        response = client.get(url)
        # then
        csp = response.headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "script-src 'self'" in csp and "style-src 'self'" in csp, url
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp


def language_links(page: str) -> dict[str, str]:
    """The language switch's links: language -> href (the current language is no link)."""
    switch = page.split('<nav class="lang-switch"', 1)[1].split("</nav>", 1)[0]
    found = re.findall(r'<a class="lang-switch__link" href="([^"]*)" lang="(\w+)" hreflang="(\w+)">', switch)
    assert all(lang == hreflang for _href, lang, hreflang in found)
    return {lang: href.replace("&amp;", "&") for href, lang, _hreflang in found}


def test_language_switch_links_to_the_same_page_in_the_other_language(
    client: Client, assembly: StoredAssembly
) -> None:
    # given
    spanish, english = f"/es/asamblea/{assembly.log}/registro/", f"/en/assembly/{assembly.log}/record/"
    # when
    from_spanish = client.get(spanish).content.decode()
    from_english = client.get(english + "?a=1&b=2").content.decode()
    from_missing = client.get("/es/no-such-page/").content.decode()
    # then: a plain link (no form, no CSRF token), the current language shown but not linked
    assert language_links(from_spanish) == {"en": english}
    assert language_links(from_english) == {"es": spanish + "?a=1&b=2"}
    assert language_links(from_missing) == {"en": "/en/"}
    assert '<span class="lang-switch__link" lang="es" aria-current="true">Español</span>' in from_spanish
    assert "csrfmiddlewaretoken" not in from_spanish and "/i18n/setlang/" not in from_spanish


def test_pages_without_a_form_set_no_csrf_cookie(client: Client, assembly: StoredAssembly) -> None:
    # given
    urls = ["/es/", f"/es/asamblea/{assembly.log}/registro/", f"/en/assembly/{assembly.log}/"]
    # when
    answers = [client.get(url) for url in urls]
    # then
    assert [answer.status_code for answer in answers] == [200, 200, 200]
    assert all(settings.CSRF_COOKIE_NAME not in answer.cookies for answer in answers)


def test_assembly_pages_with_act_forms_set_the_csrf_cookie_and_carry_no_token(
    client: Client, assembly: StoredAssembly
) -> None:
    # when: the members' page (its forms sign acts on the device and post them with the cookie's token)
    answer = client.get(f"/en/assembly/{assembly.log}/members/")
    # then
    assert answer.status_code == 200
    assert b"csrfmiddlewaretoken" not in answer.content
    assert settings.CSRF_COOKIE_NAME in answer.cookies


def test_bare_root_redirects_to_spanish_by_default(client: Client, db: None) -> None:
    # when
    response = client.get("/")
    # then
    assert response.status_code == 302
    assert response.headers["Location"] == "/es/"


def test_record_page_after_a_real_verify_of_a_tampered_record_names_entry_and_reason(
    client: Client, assembly: StoredAssembly
) -> None:
    # given: someone with access to the database flips one byte of entry 3's author signature
    from ayllu.actions.record import do_verify_record
    from ayllu.storage import models

    row = models.Entry.objects.get(record__log=assembly.log, seq=3)
    header = bytes(row.header)
    at = header.index(b'"asig":"') + len(b'"asig":"')
    flipped = b"0" if header[at : at + 1] != b"0" else b"1"
    models.Entry.objects.filter(pk=row.pk).update(header=header[:at] + flipped + header[at + 1 :])
    do_verify_record(assembly.log, workers=1)
    # when
    page = client.get(f"/en/assembly/{assembly.log}/record/").content.decode()
    # then
    assert "Verification failed" in page
    assert "The check stopped at entry number 3." in page
    assert "The signature of the member who made this act does not match." in page


def test_record_page_after_a_real_verify_of_an_intact_record(
    client: Client, assembly: StoredAssembly
) -> None:
    # given
    from ayllu.actions.record import do_verify_record

    do_verify_record(assembly.log, workers=1)
    # when
    page = client.get(f"/es/asamblea/{assembly.log}/registro/").content.decode()
    # then
    assert "Verificado: el registro está íntegro" in page
    assert "Se comprobaron las 4 entradas" in page


def test_language_switch_works_when_the_browser_prefers_the_other_language(assembly: StoredAssembly) -> None:
    # given: a browser that prefers English reads the Spanish page and asks for English
    browser = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    form = {"language": "en", "next": f"/es/asamblea/{assembly.log}/registro/"}
    # when
    switched = browser.post("/i18n/setlang/", form)
    back = Client(HTTP_ACCEPT_LANGUAGE="en").post(
        "/i18n/setlang/", {"language": "es", "next": f"/en/assembly/{assembly.log}/record/"}
    )
    # then
    assert switched.headers["Location"] == f"/en/assembly/{assembly.log}/record/"
    assert back.headers["Location"] == f"/es/asamblea/{assembly.log}/registro/"


def test_numbers_are_grouped_the_way_each_language_writes_them() -> None:
    # given
    from django.utils import translation

    from ayllu.web.templatetags.ayllu import number

    # when
    with translation.override("es"):
        spanish = number(1234567)
    with translation.override("en"):
        english = number(1234567)
    # then
    assert spanish == "1.234.567"
    assert english == "1,234,567"
