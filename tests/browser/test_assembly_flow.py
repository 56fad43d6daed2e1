"""Members hold a meeting and decide by consent in real browsers, each signing on their own device.

Three founders (their keys put on their devices, as a founding ceremony would) and a newcomer who sets
up a device key through the set-up page, applies and is admitted. In separate browser contexts: the
convenor convenes, everyone signs in as present and the chair sees quorum change without reloading; a
member asks for the floor and gets it; a proposal is tabled in the meeting, an objection is raised,
answered and withdrawn, members consent, the chair closes the question and everyone reads the outcome.
Then axe checks every assembly page in both languages.
"""

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest

from ayllu.actions.record import do_verify_record, forget_replayed_state
from ayllu.core.assembly.words import shown_to
from ayllu.queries.assembly import list_questions
from ayllu.storage import models
from factories.scenes import consent_decided_with_answered_objection, meeting_with_everyone
from factories.stored import StoredAssembly, act, found_with_officers

from .browsing import DESKTOP, PHONE, assert_accessible, log_in
from .device_js import load_modules, submit_in_page
from .walk import WAIT_MS, sign

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture
def assembly(transactional_db: None) -> Iterator[StoredAssembly]:
    forget_replayed_state()
    yield found_with_officers("Junta Vecinal Villa Esperanza", size=3)
    forget_replayed_state()


def test_members_hold_a_meeting_and_decide_by_consent_with_an_objection_answered(
    new_page: Any, member_page: Any, live_server: Any, assembly: StoredAssembly
) -> None:
    # given: three founders, each in their own browser (A chairs, in Spanish; B in English; C in Spanish)
    a = member_page(assembly.log, assembly.members[0], language="es")
    b = member_page(assembly.log, assembly.members[1], language="en")
    c = member_page(assembly.log, assembly.members[2], language="es")
    newcomer = new_page(PHONE)
    problems: list[str] = []
    hosts: set[str] = set()
    for page in (a, b, c, newcomer):
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
    es = f"{live_server.url}/es/asamblea/{assembly.log}"
    en = f"{live_server.url}/en/assembly/{assembly.log}"
    # and a newcomer sets up a key on the set-up page, applies, is sponsored by two founders, logs in
    newcomer.goto(f"{es}/dispositivo/")
    newcomer.get_by_role("button", name="Crear la clave de este dispositivo").click()
    newcomer.wait_for_selector("[data-ayllu-device][data-state=ready]")
    public = newcomer.locator("[data-ayllu-public-hex]").inner_text().strip()
    applied = submit_in_page(
        newcomer,
        action=f"{es}/actos/",
        log=assembly.log,
        type="member.applied",
        fields={"household": "casa-9"},
    )
    assert applied["ok"], applied
    for founder in assembly.members[:2]:
        act(assembly, founder, "member.sponsored", {"applicant": public})
    log_in(newcomer, live_server.url, assembly.log, language="es")

    # when: the convenor convenes a meeting from the meetings page
    a.goto(f"{es}/reuniones/")
    a.get_by_label("Para qué es la reunión").fill("Asamblea ordinaria de abril")
    sign(a, "Convocar")
    a.get_by_role("link", name="Asamblea ordinaria de abril").click()
    meeting_url = a.url
    meeting_id = meeting_url.rstrip("/").rsplit("/", 1)[1]
    # and the chair signs in as present, then watches the live view while the others arrive
    sign(a, "Firmar mi asistencia")
    live = a.locator("[data-ayllu-live]")
    assert "1 miembro presente" in live.inner_text()
    b.goto(f"{en}/meetings/{meeting_id}/")
    sign(b, "Sign in as present")
    c.goto(meeting_url)
    sign(c, "Firmar mi asistencia")
    # then: the chair's live view shows them without a reload (htmx asks for the fragment every 3 s)
    a.get_by_text("3 miembros presentes").wait_for(timeout=WAIT_MS)
    assert "Quórum: sí" in live.inner_text()

    # when: B asks for the floor; the chair sees the queue and gives it
    sign(b, "Ask for the floor")
    b_short = assembly.members[1].public[:8]
    a.locator("[data-ayllu-queue]").get_by_text(b_short).wait_for(timeout=WAIT_MS)
    sign(a, "Dar la palabra a quien sigue en la lista")
    # then
    assert b_short in a.locator("[data-ayllu-floor]").inner_text()

    # when: B tables a proposal in the meeting
    b.reload()
    b.get_by_role("link", name="Table a proposal in this meeting").click()
    b.get_by_label("Title").fill("Arreglar la cancha")
    b.get_by_label("What you propose").fill("Comprar arena y cemento; cada familia pone un día de trabajo.")
    with b.expect_navigation(timeout=WAIT_MS):
        b.get_by_role("button", name="Table the proposal").click()
    proposal_path = b.url.split(f"/{assembly.log}/", 1)[1]
    proposal_es = f"{es}/{proposal_path.replace('proposals', 'propuestas')}"
    # and the chair opens the question
    a.goto(proposal_es)
    sign(a, "Abrir la pregunta")
    # and C objects, B answers, C withdraws the objection once answered
    c.goto(proposal_es)
    c.get_by_label("Plantear una objeción, con su razón").fill("Falta decir cuánto cuesta.")
    sign(c, "Objetar")
    b.reload()
    b.get_by_label("Answer this objection").fill("Son 300 Bs., ya reunidos en la caja.")
    sign(b, "Send the answer")
    c.reload()
    sign(c, "Retirar mi objeción")
    # and A and B consent
    sign(a, "Doy mi consentimiento")
    b.reload()
    sign(b, "I consent")
    # and the chair closes the question
    a.reload()
    sign(a, "Cerrar la pregunta")

    # then: the outcome reads in words, in each member's language
    outcome = a.locator(".outcome").inner_text()
    assert "Aprobada" in outcome and "No queda ninguna objeción en pie" in outcome
    assert "objeciones resueltas\n1" in outcome or "objeciones resueltas 1" in outcome
    b.reload()
    assert "Adopted" in b.locator(".outcome").inner_text()
    # and the record holds every act, each signed by its member, and verifies
    proposal = int(proposal_path.rstrip("/").rsplit("/", 1)[1])
    authors = dict(models.Entry.objects.filter(record__log=assembly.log).values_list("seq", "author"))
    assert authors[proposal] == assembly.members[1].public
    assert do_verify_record(assembly.log, workers=1).ok
    # and the newcomer, who never came, sees the decision on their home page
    newcomer.goto(f"{es}/propuestas/")
    assert "aprobada" in newcomer.get_by_role("link", name="Arreglar la cancha").locator("..").inner_text()
    assert problems == []
    assert hosts == {urlsplit(live_server.url).netloc}  # nothing asked of any other host


@pytest.fixture
def busy_assembly(transactional_db: None) -> Iterator[tuple[StoredAssembly, int, int, int]]:
    """An assembly with a closed meeting (a consent decision) and an open one."""
    forget_replayed_state()
    assembly = found_with_officers("Junta Vecinal Villa Esperanza")
    closed = meeting_with_everyone(assembly, title="Asamblea de marzo")
    decided = consent_decided_with_answered_objection(assembly, closed)
    act(assembly, assembly.convenor, "meeting.closed", {"meeting": closed})
    meeting = meeting_with_everyone(assembly, title="Asamblea de abril")
    act(assembly, assembly.members[2], "speaker.queued", {"meeting": meeting})
    yield assembly, closed, meeting, decided["proposal"]
    forget_replayed_state()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_assembly_pages_have_no_serious_accessibility_problem(
    member_page: Any,
    live_server: Any,
    busy_assembly: tuple[StoredAssembly, int, int, int],
    viewport: dict[str, int],
) -> None:
    # given: the chair, logged in (most forms show), in a context that lets the test inject axe
    assembly, closed, meeting, decided = busy_assembly
    page = member_page(assembly.log, assembly.convenor, viewport=viewport, axe=True)
    es = f"{live_server.url}/es/asamblea/{assembly.log}"
    en = f"{live_server.url}/en/assembly/{assembly.log}"
    paths = {
        es: [
            "",
            "estatuto/",
            "miembros/",
            "reuniones/",
            f"reuniones/{meeting}/",
            f"reuniones/{closed}/acta/",
            "propuestas/",
            "propuestas/nueva/",
            "propuestas/nueva/reforma-del-estatuto/",
            f"propuestas/{decided}/",
        ],
        en: [
            "",
            "charter/",
            "members/",
            f"meetings/{meeting}/",
            "proposals/new/",
            "proposals/new/charter-amendment/",
            f"proposals/{decided}/",
        ],
    }
    for base, pages in paths.items():
        for path in pages:
            # when
            page.goto(f"{base}/{path}", wait_until="networkidle")
            assert_accessible(page, path, viewport, skip_checkboxes=True)
    load_modules(page)  # the modules load without error under the page's own paths


def test_a_choice_is_tabled_opened_and_ranked_with_numbered_selects_on_a_phone(
    member_page: Any, live_server: Any, assembly: StoredAssembly
) -> None:
    # given: the second founder, logged in on a phone, in English
    page = member_page(assembly.log, assembly.members[1], language="en")
    en = f"{live_server.url}/en/assembly/{assembly.log}"
    # when: they table a choice among three options between meetings
    page.goto(f"{en}/proposals/new/")
    assert not page.get_by_label("Option 1").is_visible()
    page.get_by_label("Kind").select_option("choice")
    page.get_by_label("Title").fill("Día de la minka")
    for n, option in enumerate(["sábado", "domingo", "lunes"], start=1):
        page.get_by_label(f"Option {n}").fill(option)
    with page.expect_navigation(timeout=WAIT_MS):
        page.get_by_role("button", name="Table the proposal").click()
    # and open the question with the default deadline, then rank with the numbered selects
    sign(page, "Open the question")
    page.get_by_label("Place 1").select_option("domingo")
    page.get_by_label("Place 2").select_option("domingo")
    page.get_by_role("button", name="Cast my vote").click()
    # then: the same option twice is refused on the device, before anything is signed
    assert page.locator("form.ranked").get_attribute("data-state") is None
    assert page.evaluate("document.querySelector('form.ranked').checkValidity()") is False
    # when: they fix the order, with the same page also open in a second tab
    stale = page.context.new_page()
    stale.goto(page.url)
    page.get_by_label("Place 2").select_option("lunes")
    sign(page, "Cast my vote")
    # and vote again from the stale tab
    stale.get_by_label("Place 1").select_option("lunes")
    stale.get_by_role("button", name="Cast my vote").click()
    # then: the node refuses, and says why in the page's language; nothing more is written
    stale.wait_for_selector("form.ranked[data-state=already_voted]", timeout=WAIT_MS)
    assert stale.locator("form.ranked").get_by_role("alert").inner_text().strip() == (
        "You have already voted on this question."
    )
    # then: the record holds the ballot in that order
    question = shown_to(list_questions(assembly.log)[-1], frozenset())  # every word, as a member reads
    assert question.ballots == {assembly.members[1].public: ["domingo", "lunes"]}
