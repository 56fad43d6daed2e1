"""A proposal sent twice is recorded once; a title of spaces is refused by its field, in words.

Back and submit again on the form that tables a proposal sends the same act (the form carries a nonce
made with the page): the node answers duplicate_act naming the entry, and the member lands on the
proposal already recorded, with a notice saying so.
"""

from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from ayllu.actions.record import forget_replayed_state
from ayllu.storage import models
from factories.stored import StoredAssembly, act, found_with_officers

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

WAIT_MS = 15_000


@pytest.fixture
def assembly(transactional_db: None) -> Iterator[StoredAssembly]:
    forget_replayed_state()
    yield found_with_officers("Junta Vecinal Villa Esperanza", size=3)
    forget_replayed_state()


def tabled(log: str) -> int:
    return models.Entry.objects.filter(record__log=log, type="proposal.tabled").count()


def test_back_and_submit_again_lands_on_the_proposal_already_tabled(
    member_page: Any, live_server: Any, assembly: StoredAssembly
) -> None:
    # given: a member tables a proposal from the form and lands on it
    page = member_page(assembly.log, assembly.members[1], language="es")
    with translation.override("es"):
        form = live_server.url + reverse("web:new_proposal", kwargs={"log": assembly.log})
    page.goto(form)
    page.get_by_label("Título").fill("Arreglar la cancha")
    with page.expect_navigation(timeout=WAIT_MS):
        page.get_by_role("button", name="Presentar la propuesta").click()
    first = page.url
    # when: she goes back and submits the same form again
    page.go_back()
    title = page.get_by_label("Título")
    if not title.input_value():  # the browser did not keep what was typed: the same words again
        title.fill("Arreglar la cancha")
    with page.expect_navigation(timeout=WAIT_MS):
        page.get_by_role("button", name="Presentar la propuesta").click()
    # then: she is on the same proposal, told it was already there, and the record holds one
    assert page.url == first
    notice = page.locator("[data-ayllu-notice]")
    assert notice.is_visible()
    assert "ya" in notice.inner_text()
    assert tabled(assembly.log) == 1


def test_a_title_of_spaces_is_refused_at_its_field_and_nothing_is_signed(
    member_page: Any, live_server: Any, assembly: StoredAssembly
) -> None:
    # given: the form to table a proposal
    page = member_page(assembly.log, assembly.members[1], language="es")
    with translation.override("es"):
        page.goto(live_server.url + reverse("web:new_proposal", kwargs={"log": assembly.log}))
    # when: the title holds only spaces
    title = page.get_by_label("Título")
    title.fill("    ")
    page.get_by_role("button", name="Presentar la propuesta").click()
    # then: the field is marked, a sentence says what is wrong, nothing reached the record
    page.wait_for_selector("[aria-invalid=true]")
    assert title.get_attribute("aria-invalid") == "true"
    status = page.locator("form[data-ayllu-act] [data-ayllu-status]").first.inner_text()
    assert "espacios" in status
    assert tabled(assembly.log) == 0


def test_a_comment_sent_again_after_its_answer_was_lost_is_recorded_once(
    member_page: Any, live_server: Any, assembly: StoredAssembly
) -> None:
    # given: a proposal, and a member's phone whose connection drops the node's first answer to an act
    content = {"matter": "ordinary", "title": "Agua", "text": "", "effect": {}}
    proposal = act(assembly, assembly.members[0], "proposal.tabled", content)
    page = member_page(assembly.log, assembly.members[1], language="es")
    dropped: list[bool] = []

    def drop_first_answer(route: Any) -> None:
        if dropped:
            route.continue_()
            return
        dropped.append(True)
        route.fetch()  # the node records the act
        route.abort()  # and its answer never reaches the phone

    page.route("**/actos/", drop_first_answer)
    with translation.override("es"):
        address = reverse("web:proposal", kwargs={"log": assembly.log, "proposal_id": proposal})
    page.goto(live_server.url + address)
    # when: she comments, is told the node could not be reached, and sends the same form again
    page.get_by_label("Su comentario").fill("De acuerdo")
    page.get_by_role("button", name="Comentar").click()
    page.wait_for_selector("form[data-state=network]", timeout=WAIT_MS)
    with page.expect_navigation(timeout=WAIT_MS):
        page.get_by_role("button", name="Comentar").click()
    # then: it was the same act: she is told it was already there, and the record holds one comment
    notice = page.locator("[data-ayllu-notice]")
    assert notice.is_visible()
    assert "ya" in notice.inner_text()
    assert models.Entry.objects.filter(record__log=assembly.log, type="comment.posted").count() == 1
