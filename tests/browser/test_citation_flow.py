"""Citing a federation's entry from a phone: a council's member copies the entry's citation, pastes it in
the council's "cite an entry" page, sees what is cited and how far this node checked it, and signs it."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from ayllu.actions.record import forget_replayed_state
from ayllu.storage import models
from factories.stored import StoredAssembly, found

from .browsing import PHONE, assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture
def two(transactional_db: None) -> Iterator[tuple[StoredAssembly, StoredAssembly]]:
    forget_replayed_state()
    yield found("Federación del distrito 3", notices=3), found("Junta Alto Lima", notices=1)
    forget_replayed_state()


def test_a_member_copies_a_citation_checks_it_and_signs_it_from_a_phone(
    member_page: Any, live_server: Any, two: tuple[StoredAssembly, StoredAssembly]
) -> None:
    # given a member of the council, logged in on a phone that lets the page write the clipboard
    federation, council = two
    page = member_page(council.log, council.members[0], language="es", viewport=PHONE, axe=True)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    with translation.override("es"):
        page.goto(
            live_server.url + reverse("web:record_entry_citation", kwargs={"log": federation.log, "seq": 3})
        )
    assert_accessible(page, page.url, PHONE)
    # when she copies the citation of the federation's entry 3 and goes to cite it in her council
    page.get_by_role("button", name="Copiar la cita").click()
    page.wait_for_selector("[data-ayllu-share][data-state=copied]")
    copied = page.evaluate("navigator.clipboard.readText()")
    with page.expect_navigation():
        page.get_by_role("link", name="Citarla en su asamblea").click()
    page.locator("textarea[name=citation]").fill(copied)
    page.locator("textarea[name=note]").fill("La federación lo resolvió")
    with page.expect_navigation():
        page.get_by_role("button", name="Revisar la cita").click()
    # then the page says what she cites and how far this node checked it, before she signs
    verdict = page.locator("[data-ayllu-citation-verdict]").inner_text()
    assert "Según las reglas de la asamblea citada" in verdict and "Publicó un aviso" in verdict
    assert_accessible(page, page.url, PHONE)
    size = models.Entry.objects.filter(record__log=council.log).count()
    # and when she signs it, it is in the council's record
    with page.expect_navigation():
        page.get_by_role("button", name="Firmar y registrar la cita").click()
    last = models.Entry.objects.filter(record__log=council.log).order_by("-seq").first()
    assert last is not None and (last.seq, last.type) == (size + 1, "record.cited")
