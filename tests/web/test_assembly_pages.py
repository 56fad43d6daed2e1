"""The assembly's members' pages in Spanish and English, read without JavaScript from a record built with
the core's acts: home, charter, members, meetings (live view, minutes), proposals and outcomes."""

import gzip
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from ayllu.actions.record import forget_replayed_state
from factories.charters import no_wait_charter
from factories.keys import keypair
from factories.scenes import consent_decided_with_answered_objection, meeting_with_everyone
from factories.stored import StoredAssembly, act, found_with_officers, log_in_as

from .test_translations import phrases, po_entries, visible_text

WORDS = {
    "es": {
        "assembly": "asamblea",
        "charter": "estatuto",
        "members": "miembros",
        "meetings": "reuniones",
        "live": "en-vivo",
        "minutes": "acta",
        "proposals": "propuestas",
        "new": "nueva",
        # each matter's word in its form's address (ayllu/assembly_words.py MATTER_SLUGS)
        "admission": "admision",
        "charter_amendment": "reforma-del-estatuto",
        "suspension": "suspension",
        "reinstatement": "reincorporacion",
        "key_replacement": "reemplazo-de-clave",
        "cargo_assignment": "asignacion-de-cargo",
        "cargo_creation": "cargo-nuevo",
    },
    "en": {
        "assembly": "assembly",
        "charter": "charter",
        "members": "members",
        "meetings": "meetings",
        "live": "live",
        "minutes": "minutes",
        "proposals": "proposals",
        "new": "new",
        "charter_amendment": "charter-amendment",
        "key_replacement": "key-replacement",
        "cargo_assignment": "cargo-assignment",
        "cargo_creation": "new-cargo",
    },
}


@dataclass(frozen=True)
class Scene:
    """An assembly with a closed meeting (a consent decision with an objection answered) and an open one
    (a queue, a point of order, an open majority question, a comment and an amendment)."""

    assembly: StoredAssembly
    closed_meeting: int
    decided: int
    objection: int
    meeting: int
    open_proposal: int
    open_question: int


def url(language: str, log: str, *parts: object) -> str:
    w = WORDS[language]
    path = "/".join(str(w.get(str(p), p)) for p in parts)
    return f"/{language}/{w['assembly']}/{log}/" + (f"{path}/" if path else "")


@pytest.fixture
def scene(db: None) -> Scene:
    forget_replayed_state()
    assembly = found_with_officers("Junta Vecinal Villa Esperanza")
    a, b, c, d = assembly.members
    closed = meeting_with_everyone(assembly, title="Asamblea de marzo")
    decided = consent_decided_with_answered_objection(assembly, closed)
    act(assembly, a, "meeting.closed", {"meeting": closed})
    meeting = meeting_with_everyone(assembly, title="Asamblea de abril")
    act(assembly, c, "speaker.queued", {"meeting": meeting})
    act(assembly, d, "speaker.queued", {"meeting": meeting})
    act(assembly, a, "speaker.called", {"meeting": meeting, "member": c.public})
    act(assembly, c, "speaker.queued", {"meeting": meeting})
    act(assembly, b, "speaker.queued", {"meeting": meeting})
    act(assembly, d, "point_of_order.raised", {"meeting": meeting, "text": "Se habla fuera de turno."})
    proposal = act(
        assembly,
        d,
        "proposal.tabled",
        {
            "matter": "ordinary",
            "title": "Cuota para el tanque de agua",
            "text": "Diez Bs. para el tanque.",
            "effect": {},
            "meeting": meeting,
        },
    )
    act(assembly, b, "comment.posted", {"proposal": proposal, "text": "Bien, si es mensual."})
    act(
        assembly,
        c,
        "proposal.amended",
        {"proposal": proposal, "title": "Cuota mensual", "text": "Diez al mes."},
    )
    question = act(assembly, a, "question.opened", {"proposal": proposal})
    act(assembly, b, "vote.cast", {"question": question, "choice": "consent"})
    return Scene(assembly, closed, decided["proposal"], decided["objection"], meeting, proposal, question)


def page(client: Client, address: str) -> str:
    response = client.get(address)
    assert response.status_code == 200, (address, response.status_code)
    return response.content.decode()


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "es",
            ["La asamblea ahora", "Asamblea de abril", "¿Es usted miembro?", "Cuota para el tanque de agua"],
        ),
        (
            "en",
            ["The assembly now", "Asamblea de abril", "Are you a member?", "Cuota para el tanque de agua"],
        ),
    ],
)
def test_home_reads_without_login(client: Client, scene: Scene, language: str, expected: list[str]) -> None:
    # when
    html = page(client, url(language, scene.assembly.log))
    # then
    for text in expected:
        assert text in html
    assert 'data-type="' not in html  # no act forms for a reader who is not logged in


def test_home_shows_a_member_what_waits_for_them(client: Client, scene: Scene) -> None:
    # given: the fourth member, present, who has not answered the open question
    log_in_as(client, scene.assembly.log, scene.assembly.members[3])
    # when
    html = page(client, url("es", scene.assembly.log))
    # then
    text = visible_text(html, language="es")
    assert "Lo que le espera ahora" in text
    assert "Esperan su respuesta" in text and "Se decide por consentimiento." in text
    assert f'href="{url("es", scene.assembly.log, "proposals", scene.open_proposal)}"' in html
    assert "Usted entró · casa-4" in text and "Salir" in text


def test_home_of_a_member_with_nothing_waiting_says_so(client: Client, scene: Scene) -> None:
    # given: the second member already consented; the one amendment waits for the proposal's author
    log_in_as(client, scene.assembly.log, scene.assembly.members[1])
    # when
    text = visible_text(page(client, url("en", scene.assembly.log)), language="en")
    # then
    assert "Nothing waits for your answer." in text
    assert "Your cargos" in text and "minute-keeper" in text


def test_home_lists_an_applicant_and_a_lost_key_claim_the_member_may_act_on(
    client: Client, scene: Scene
) -> None:
    # given: someone applies to join, and a new key claims to be the fourth member's (a lost phone)
    assembly = scene.assembly
    newcomer, new_phone = keypair("recien-llegada"), keypair("telefono-nuevo")
    act(assembly, newcomer, "member.applied", {"household": "casa-9"})
    act(assembly, new_phone, "member.key_claimed", {"member": assembly.members[3].public})
    log_in_as(client, assembly.log, assembly.members[1])
    # when: the second member reads "Now"
    html = page(client, url("es", assembly.log))
    # then: both wait for her, each linked to where she acts on it; nothing says otherwise
    text = visible_text(html, language="es")
    assert "Pide entrar a la asamblea" in text and "casa-9" in text
    assert "Una clave nueva para un miembro que perdió su dispositivo" in text
    assert "Nada espera su respuesta" not in text
    members = url("es", assembly.log, "members")
    assert f'href="{members}#postulante-' in html and f'href="{members}#reclamo-' in html


def test_charter_reads_in_plain_language_with_its_versions(client: Client, scene: Scene) -> None:
    # when
    spanish = visible_text(page(client, url("es", scene.assembly.log, "charter")), language="es")
    english = visible_text(page(client, url("en", scene.assembly.log, "charter")), language="en")
    # then
    assert "La asamblea es soberana" in spanish
    assert "Versión 1, vigente desde la entrada 1 del registro." in spanish
    assert "El estatuto no se ha reformado desde la fundación de la asamblea." in spanish
    assert "Ordinary matters: decided by consent" in english
    assert "Each speaker has up to 3 minutes." in english
    assert "Cada persona tiene hasta 3 minutos para hablar." in spanish


def test_members_page_shows_households_and_short_keys_only(client: Client, scene: Scene) -> None:
    # when
    html = page(client, url("en", scene.assembly.log, "members"))
    # then
    for i, member in enumerate(scene.assembly.members, start=1):
        assert f"casa-{i}" in html
        assert member.public[:8] in html
    assert "Convenor" in visible_text(html, language="en")  # a title in the list of cargos
    assert "4 members · 4 households" in visible_text(html, language="en")
    assert "member since entry 1 of the record" in visible_text(html, language="en")


def test_meetings_list_open_first_with_the_minutes_of_the_closed_one(client: Client, scene: Scene) -> None:
    # when
    html = page(client, url("es", scene.assembly.log, "meetings"))
    # then
    assert html.index("Asamblea de abril") < html.index("Asamblea de marzo")
    assert url("es", scene.assembly.log, "meetings", scene.closed_meeting, "minutes") in html


def test_live_view_shows_quorum_floor_and_the_progressive_stack(client: Client, scene: Scene) -> None:
    # given: c spoke once and asked again; d and b have not spoken (d asked before b)
    _, b, c, d = scene.assembly.members
    # when
    html = page(client, url("en", scene.assembly.log, "meetings", scene.meeting, "live"))
    # then
    queue = html[html.index("data-ayllu-queue") :]
    assert queue.index(d.public[:8]) < queue.index(b.public[:8]) < queue.index(c.public[:8])
    assert "Quorum: yes" in html and "4 of 4 present; the charter asks for 1 of every 3." in html
    assert "has the floor since" in html
    assert "Se habla fuera de turno." in html and "waiting for the chair's ruling" in html
    assert "1 of 4 have answered" in html
    assert 'hx-trigger="every 3s"' in html and "<html" not in html


def test_live_view_gives_the_chair_the_forms_to_rule_and_only_the_chair(client: Client, scene: Scene) -> None:
    # given
    chair_client, member_client = Client(), Client()
    log_in_as(chair_client, scene.assembly.log, scene.assembly.convenor)
    log_in_as(member_client, scene.assembly.log, scene.assembly.members[2])
    address = url("en", scene.assembly.log, "meetings", scene.meeting, "live")
    # when
    chair = page(chair_client, address)
    member = page(member_client, address)
    # then: a point of order waits, so the chair may rule but not call a speaker yet
    assert 'data-type="point_of_order.ruled"' in chair
    assert 'data-type="speaker.called"' not in chair
    assert 'data-type="point_of_order.ruled"' not in member


def test_meeting_page_offers_presence_to_a_member_not_yet_present(client: Client, scene: Scene) -> None:
    # given: the assembly admits no one new here, so one member leaves the meeting
    log_in_as(client, scene.assembly.log, scene.assembly.members[3])
    act(scene.assembly, scene.assembly.members[3], "presence.ended", {"meeting": scene.meeting})
    # when
    html = page(client, url("es", scene.assembly.log, "meetings", scene.meeting))
    # then
    assert 'data-type="presence.signed"' in html and "Firmar mi asistencia" in html
    assert f'name="body.meeting" value="{scene.meeting}" data-ayllu-kind="int"' in html


def test_minutes_are_generated_from_the_record(client: Client, scene: Scene) -> None:
    # when
    text = visible_text(
        page(client, url("es", scene.assembly.log, "meetings", scene.closed_meeting, "minutes")),
        language="es",
    )
    # then
    assert "Vinieron 4 miembros" in text
    assert "Arreglar la cancha" in text and "Falta el presupuesto." in text and "Son 300 Bs." in text
    assert "Aprobada" in text and "Podían participar 4" in text
    assert "objeciones resueltas 1" in text
    assert "resuelta: respondida y luego retirada" in text  # as the tally counts it, not "retirada" alone
    assert "cerrada en la entrada" in text


def test_decided_proposal_shows_the_outcome_in_words(client: Client, scene: Scene) -> None:
    # when
    text = visible_text(
        page(client, url("en", scene.assembly.log, "proposals", scene.decided)), language="en"
    )
    # then
    assert "Round 1, by consent" in text
    assert "Adopted" in text and "Could take part 4" in text and "Took part 4" in text
    assert "Quorum 4 of 4 (needed 1 of every 3)" in text
    assert "No objection stands" in text
    assert "Falta el presupuesto." in text and "Son 300 Bs." in text and "withdrawn" in text


def test_open_proposal_shows_comments_amendments_and_the_ballot_of_its_method(
    client: Client, scene: Scene
) -> None:
    # given: the third member, present, not yet answered, not the author
    log_in_as(client, scene.assembly.log, scene.assembly.members[2])
    # when
    html = page(client, url("es", scene.assembly.log, "proposals", scene.open_proposal))
    # then
    text = visible_text(html, language="es")
    assert "En decisión ahora, por consentimiento" in text
    assert "Bien, si es mensual." in text and "Cuota mensual" in text
    assert "espera a quien la propuso" in text
    assert 'data-type="vote.cast"' in html and 'value="consent"' in html
    assert 'data-type="objection.raised"' in html
    assert 'data-type="amendment.accepted"' not in html  # only the author accepts amendments


def test_the_author_may_accept_an_amendment(client: Client, scene: Scene) -> None:
    # given
    log_in_as(client, scene.assembly.log, scene.assembly.members[3])
    # when
    html = page(client, url("en", scene.assembly.log, "proposals", scene.open_proposal))
    # then: the proposal is being decided, so amendments wait; the author sees the question, not the form
    assert 'data-type="amendment.accepted"' not in html
    assert "Deciding now, by consent" in html


def test_ranked_ballot_uses_numbered_selects(client: Client, db: None) -> None:
    # given: a choice between three options, decided by ranked choice between meetings
    forget_replayed_state()
    assembly = found_with_officers("Cooperativa de Agua Senkata")
    author, voter = assembly.members[0], assembly.members[1]
    proposal = act(
        assembly,
        author,
        "proposal.tabled",
        {
            "matter": "choice",
            "title": "Día de la minka",
            "text": "",
            "effect": {},
            "options": ["sábado", "domingo", "lunes"],
        },
    )
    act(assembly, author, "question.opened", {"proposal": proposal, "deadline": 4_102_444_800_000})
    log_in_as(client, assembly.log, voter)
    # when
    html = page(client, url("en", assembly.log, "proposals", proposal))
    # then
    assert len(re.findall(r"<select data-ayllu-rank[ >]", html)) == 3
    assert "Place 3" in html and "data-ayllu-ranking" in html and "Deciding now, by ranked choice" in html


def test_new_proposal_form_in_a_meeting_names_it(client: Client, scene: Scene) -> None:
    # given
    log_in_as(client, scene.assembly.log, scene.assembly.members[1])
    # when
    html = page(client, url("es", scene.assembly.log, "proposals", "new") + f"?meeting={scene.meeting}")
    # then
    assert "«Asamblea de abril»" in html
    assert 'data-type="proposal.tabled"' in html
    assert f'name="body.meeting" value="{scene.meeting}"' in html


@pytest.fixture
def other(scene: Scene) -> Scene:
    """A second assembly on the same node, with its own meeting and decided proposal."""
    assembly = found_with_officers("Sindicato de Gremiales", seed=40)
    meeting = meeting_with_everyone(assembly)
    decided = consent_decided_with_answered_objection(assembly, meeting)
    return Scene(
        assembly, meeting, decided["proposal"], decided["objection"], meeting, decided["proposal"], 0
    )


@pytest.mark.parametrize("language", ["es", "en"])
def test_another_assemblys_objects_are_not_found_here(
    client: Client, scene: Scene, other: Scene, language: str
) -> None:
    # given: ids that exist only in the other assembly's record
    log = scene.assembly.log
    foreign_meeting = max(other.meeting, scene.meeting + 1000)
    foreign_proposal = max(other.decided, scene.open_proposal + 1000)
    assert page(client, url(language, other.assembly.log, "proposals", other.decided))
    # when / then
    for address in (
        url(language, log, "meetings", foreign_meeting),
        url(language, log, "meetings", foreign_meeting, "live"),
        url(language, log, "meetings", foreign_meeting, "minutes"),
        url(language, log, "proposals", foreign_proposal),
        url(language, "0" * 64),
    ):
        assert client.get(address).status_code == 404, address


def _pages(scene: Scene, language: str) -> list[str]:
    log = scene.assembly.log
    return [
        url(language, log),
        url(language, log, "charter"),
        url(language, log, "members"),
        url(language, log, "meetings"),
        url(language, log, "meetings", scene.meeting),
        url(language, log, "meetings", scene.meeting, "live"),
        url(language, log, "meetings", scene.closed_meeting, "minutes"),
        url(language, log, "proposals"),
        url(language, log, "proposals", "new"),
        url(language, log, "proposals", scene.decided),
        url(language, log, "proposals", scene.open_proposal),
    ]


@pytest.mark.parametrize(("language", "other_language"), [("es", "en"), ("en", "es")])
def test_pages_do_not_mix_languages(client: Client, scene: Scene, language: str, other_language: str) -> None:
    # given: logged in as the chair, who sees the most forms
    log_in_as(client, scene.assembly.log, scene.assembly.convenor)
    english = {p for msgid, _, _ in po_entries("es") for p in phrases(msgid)}
    spanish = {p for _, strs, _ in po_entries("es") for s in strs for p in phrases(s)}
    foreign = english - spanish if language == "es" else spanish - english
    for address in _pages(scene, language):
        # when
        text = visible_text(page(client, address), language=language)
        # then
        leaks = sorted(p for p in foreign if p in text)
        assert leaks == [], f"{address} shows {other_language}: {leaks}"


@pytest.mark.parametrize("language", ["es", "en"])
def test_pages_have_no_inline_script_or_style_and_fit_the_budget(
    client: Client, scene: Scene, language: str
) -> None:
    # given
    log_in_as(client, scene.assembly.log, scene.assembly.convenor)
    assets = [
        Path(str(finders.find(name))).read_bytes()
        for name in ("web/ayllu.css", "web/css/device.css", "web/css/assembly.css", "vendor/htmx.min.js")
    ]
    for address in _pages(scene, language):
        # when
        html = page(client, address)
        # then
        assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == [], address
        assert "<style" not in html and " style=" not in html, address
        assert re.findall(r"\son[a-z]+=", html) == [], address
        total = sum(len(gzip.compress(data)) for data in (html.encode(), *assets))
        assert total <= 60 * 1024, (address, total)


@pytest.mark.parametrize(
    ("method", "matter", "expected"),
    [
        (
            {"method": "majority", "threshold": "1/2", "base": "yes_no", "comparison": "more_than"},
            "ordinary",
            ['value="yes"', 'value="no"', 'value="abstain"', "In favour", "Against", "I abstain"],
        ),
        (
            {"method": "consensus"},
            "ordinary",
            ['value="agree"', 'value="stand_aside"', 'value="block"', 'name="body.reason"', "I stand aside"],
        ),
        (
            {"method": "approval"},
            "choice",
            ['type="checkbox" name="body.choice" value="sábado" data-ayllu-kind="list"', "Mark every option"],
        ),
    ],
    ids=["majority", "consensus", "approval"],
)
def test_each_method_gets_its_own_ballot(
    client: Client, db: None, method: dict[str, str], matter: str, expected: list[str]
) -> None:
    # given: an assembly whose charter decides this matter by this method, a question open between meetings
    forget_replayed_state()
    charter = no_wait_charter()
    charter["methods"] = {**charter["methods"], matter: method}  # type: ignore[dict-item]
    assembly = found_with_officers("Cooperativa de Agua Senkata", charter=charter)
    content: dict[str, object] = {"matter": matter, "title": "Día de la minka", "text": "", "effect": {}}
    if matter == "choice":
        content["options"] = ["sábado", "domingo"]
    proposal = act(assembly, assembly.members[0], "proposal.tabled", content)
    act(
        assembly,
        assembly.members[0],
        "question.opened",
        {"proposal": proposal, "deadline": 4_102_444_800_000},
    )
    log_in_as(client, assembly.log, assembly.members[1])
    # when
    html = page(client, url("en", assembly.log, "proposals", proposal))
    # then
    for text in expected:
        assert text in html
    assert (
        html.count('data-type="vote.cast"')
        == {"majority": 3, "consensus": 3, "approval": 1}[method["method"]]
    )
