"""The record page of a new assembly: verify it from there (a POST that runs the node's check) and
browse its entries a page at a time, each in words with its author and time."""

import pytest
from django.test import Client

import ayllu.core.assembly.replay  # noqa: F401  (registers every act kind)
from ayllu.assembly_words import ACT_TYPES
from ayllu.core.assembly.acts import ACT_KINDS
from ayllu.storage import models
from ayllu.web.views import ENTRIES_PER_PAGE
from factories.stored import StoredAssembly, found

from .test_translations import visible_text


def test_every_kind_of_entry_has_words() -> None:
    # then: the list of entries never shows a record type where words belong
    assert {kind.type for kind in ACT_KINDS.values()} <= set(ACT_TYPES)


def test_a_new_assembly_is_verified_from_its_record_page_and_not_again_until_it_grows(
    client: Client, assembly: StoredAssembly
) -> None:
    # given: a record nobody has verified
    page = f"/es/asamblea/{assembly.log}/registro/"
    assert "Aún sin verificar" in client.get(page).content.decode()
    # when: someone presses the button (a form with Django's own token, so it works without JavaScript)
    response = client.post(f"/es/asamblea/{assembly.log}/registro/verificar/")
    again = client.post(f"/es/asamblea/{assembly.log}/registro/verificar/")
    # then: the node ran its check once, and the page shows the result
    assert response.status_code == 302 and response["Location"] == page + "#verificacion"
    assert again.status_code == 302
    runs = models.VerificationRun.objects.filter(record__log=assembly.log)
    assert [(r.ok, r.size) for r in runs] == [(True, assembly.size)]
    text = visible_text(client.get(page).content.decode(), language="es")
    assert "Verificado: el registro está íntegro" in text
    assert client.get(f"/es/asamblea/{assembly.log}/registro/verificar/").status_code == 405


def test_verifying_works_without_javascript_or_a_csrf_token(assembly: StoredAssembly) -> None:
    # given: a browser checked for CSRF as a real one is, on a page that carries no token
    strict = Client(enforce_csrf_checks=True)
    html = strict.get(f"/en/assembly/{assembly.log}/record/").content.decode()
    assert f'action="/en/assembly/{assembly.log}/record/verify/"' in html
    # when: the plain form is sent
    response = strict.post(f"/en/assembly/{assembly.log}/record/verify/")
    # then: the check ran (it acts for nobody: there is nothing to forge)
    assert response.status_code == 302
    assert models.VerificationRun.objects.filter(record__log=assembly.log, ok=True).count() == 1


def test_entries_are_listed_newest_first_in_words_with_their_author_a_page_at_a_time(
    client: Client, db: None
) -> None:
    # given: an assembly of three founders and more notices than one page holds
    assembly = found("Junta Vecinal", notices=ENTRIES_PER_PAGE + 5)
    # when
    first = visible_text(client.get(f"/es/asamblea/{assembly.log}/registro/").content.decode(), language="es")
    second_html = client.get(f"/es/asamblea/{assembly.log}/registro/?p=2").content.decode()
    second = visible_text(second_html, language="es")
    # then: the newest page first, each entry in words, by its author's household and key
    size = ENTRIES_PER_PAGE + 6
    assert "Publicó un aviso" in first and "Página 1 de 2" in first and "Entradas anteriores" in first
    assert f"casa-1 {assembly.members[0].public[:8]}" in second
    assert "Se fundó la asamblea" in second and "Página 2 de 2" in second
    assert "Se fundó la asamblea" not in first
    assert str(size) in first


@pytest.mark.parametrize("page", ["0", "99", "dos"])
def test_a_page_out_of_range_shows_the_nearest_one(
    client: Client, assembly: StoredAssembly, page: str
) -> None:
    # when
    response = client.get(f"/en/assembly/{assembly.log}/record/?p={page}")
    # then
    assert response.status_code == 200
    assert "Posted a notice" in response.content.decode()
