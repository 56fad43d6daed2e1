"""A member registers a new household from the members page: the browser makes its opaque id on the
device (act format 2: the id is rule data) and sends the name typed as words; the page shows the name."""

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from ayllu.actions.record import forget_replayed_state
from ayllu.queries.assembly import list_members
from ayllu.storage import models
from ayllu.web.views_invitations import make_invitation_token
from factories.stored import StoredAssembly, found_with_officers

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

WAIT_MS = 15_000


@pytest.fixture
def assembly(transactional_db: None) -> Iterator[StoredAssembly]:
    forget_replayed_state()
    yield found_with_officers("Junta Vecinal Villa Esperanza", size=3)
    forget_replayed_state()


def test_a_new_household_gets_an_id_made_on_the_device_and_the_name_typed(
    member_page: Any, live_server: Any, assembly: StoredAssembly
) -> None:
    # given a member on the members page
    member = assembly.members[1]
    page = member_page(assembly.log, member, language="es")
    page.goto(f"{live_server.url}/es/asamblea/{assembly.log}/miembros/")
    # when she registers a new household by its name
    page.get_by_label("Nombre de la nueva familia").fill("Pasaje Los Olivos 4")
    # (the form's script reloads the page once the act is recorded: wait for that, or a later goto races it)
    with page.expect_navigation(timeout=WAIT_MS):
        page.get_by_role("button", name="Registrar la familia").click()
    assert models.Entry.objects.filter(record__log=assembly.log, type="household.registered").exists()
    # then the record names her household by a fresh opaque id, and the members page by its name
    forget_replayed_state()
    households = {h.id: h for h in list_members(assembly.log).households}
    (mine,) = [h for h in households.values() if member.public in h.members]
    assert re.fullmatch(r"h-[0-9a-f]{32}", mine.id)
    page.goto(f"{live_server.url}/es/asamblea/{assembly.log}/miembros/")
    assert "Pasaje Los Olivos 4" in page.content()


def test_the_invitation_offers_the_inviters_household_or_a_new_one_within_a_phones_width(
    member_page: Any, live_server: Any, assembly: StoredAssembly
) -> None:
    # given an invitation link of a member, opened on a phone
    link = make_invitation_token(log=assembly.log, inviter=assembly.members[2].public)
    page = member_page(assembly.log, assembly.members[0], language="es")
    # when the newcomer reads the application form
    with translation.override("es"):
        page.goto(live_server.url + reverse("web:invitation", kwargs={"log": assembly.log, "token": link}))
    choice = page.locator('select[name="body.household"]')
    # then it offers a new household first and the inviter's by name, and nothing is wider than the phone
    assert choice.evaluate("(s) => [...s.options].map((o) => o.text.trim())") == [
        "Una familia nueva",
        "La familia casa-3, del miembro que le envió la invitación",
    ]
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path="/tmp/hh-invitation.png", full_page=True)
