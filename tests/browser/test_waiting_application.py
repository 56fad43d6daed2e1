"""The newcomer's page says where their application stands: waiting outside the record, then in it."""

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import pytest
from django.urls import reverse
from django.utils import translation

from ayllu.actions.record import forget_replayed_state
from ayllu.storage import models
from ayllu.web.views_invitations import make_invitation_token
from factories.keys import keypair
from factories.stored import StoredAssembly, act, found_with_officers

from .browsing import PHONE, put_key_on_device

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

T = TypeVar("T")
WAIT_MS = 15_000
NEWCOMER = keypair("recien-llegada")


def outside_playwright(call: Callable[[], T]) -> T:
    """Run a database call on another thread: Django refuses ORM calls inside Playwright's event loop."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(call).result()


@pytest.fixture
def assembly(transactional_db: None) -> Iterator[StoredAssembly]:
    forget_replayed_state()
    yield found_with_officers("Junta Vecinal Villa Esperanza", size=3)
    forget_replayed_state()


def test_the_newcomer_sees_their_application_wait_and_then_enter_the_record(
    new_page: Any, live_server: Any, assembly: StoredAssembly
) -> None:
    # given: the newcomer's device holds their key, on the invitation page
    link = make_invitation_token(log=assembly.log, inviter=assembly.members[2].public)
    with translation.override("es"):
        url = live_server.url + reverse("web:invitation", kwargs={"log": assembly.log, "token": link})
    page = new_page(PHONE)
    page.goto(url)
    put_key_on_device(page, assembly.log, seed=NEWCOMER.seed().hex(), public=NEWCOMER.public)
    page.reload()
    # when: they apply for a new household
    page.get_by_label("Nombre de su familia nueva", exact=False).fill("Pasaje Los Olivos 4")
    page.get_by_role("button", name="Pedir ser miembro").click()
    form = page.locator('form[data-type="member.applied"]')
    form.locator("[data-ayllu-status]").get_by_text("Enviado: su pedido espera en este nodo.").wait_for(
        timeout=WAIT_MS
    )
    # then: back on the page, it says the application waits outside the record; the record is unchanged
    page.reload()
    status = page.locator("[data-ayllu-application][data-state=waiting]")
    status.wait_for(timeout=WAIT_MS)
    assert "espera en este nodo, fuera del registro" in status.inner_text()
    applied = outside_playwright(
        lambda: models.Entry.objects.filter(record__log=assembly.log, type="member.applied").count()
    )
    assert applied == 0
    # when: a founder sponsors them (one of the two sponsors the charter asks for)
    outside_playwright(
        lambda: act(assembly, assembly.members[0], "member.sponsored", {"applicant": NEWCOMER.public})
    )
    page.reload()
    # then: the page says the application is in the record
    page.locator("[data-ayllu-application][data-state=applied]").wait_for(timeout=WAIT_MS)
