"""The record page and the device page are pages of one assembly outside its own section: their header
says who is logged in and offers to log out, as the assembly's pages do, and the device page does not
offer a logged-in member to log in again."""

import pytest
from django.test import Client
from django.utils import translation

from factories.stored import StoredAssembly, found, log_in_as, page_url


@pytest.fixture
def assembly(db: None) -> StoredAssembly:
    return found("Junta Vecinal Villa Esperanza")


def _pages(log: str) -> list[str]:
    return [page_url("device", "es", log=log), page_url("record", "es", log=log)]


def test_the_record_and_device_pages_offer_a_logged_in_member_to_log_out(assembly: StoredAssembly) -> None:
    # given
    member = Client()
    log_in_as(member, assembly.log, assembly.members[0])
    with translation.override("es"):
        for url in _pages(assembly.log):
            # when
            response = member.get(url)
            # then the header names the member and holds the log-out button, with its CSRF cookie and script
            page = response.content.decode()
            assert response.status_code == 200, url
            assert 'class="session__who"' in page and "Usted entró" in page, url
            assert 'class="session__button">Salir</button>' in page, url
            assert "/static/web/js/csrf-form.js" in page and "csrftoken" in member.cookies, url


def test_the_record_and_device_pages_offer_an_outsider_to_log_in(assembly: StoredAssembly) -> None:
    # given
    outsider = Client()
    with translation.override("es"):
        for url in _pages(assembly.log):
            # when
            page = outsider.get(url).content.decode()
            # then
            assert 'class="session__link"' in page and "session__button" not in page, url
            assert "/static/web/js/csrf-form.js" not in page, url


def test_the_device_page_tells_a_logged_in_member_so_instead_of_offering_to_log_in(
    assembly: StoredAssembly,
) -> None:
    # given
    member, outsider = Client(), Client()
    log_in_as(member, assembly.log, assembly.members[0])
    url = page_url("device", "es", log=assembly.log)
    with translation.override("es"):
        # when
        for_member = member.get(url).content.decode()
        for_outsider = outsider.get(url).content.decode()
    # then
    assert "Usted entró con este dispositivo." in for_member and "Ir a la asamblea" in for_member
    assert "data-ayllu-login-link" not in for_member and "Entrar con este dispositivo" not in for_member
    assert "data-ayllu-login-link" in for_outsider and "Usted entró con este dispositivo." not in for_outsider
