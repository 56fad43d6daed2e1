"""The forms for matters with an effect, cosigning, petitions and agenda proposals (es/en), the charter
amendment's editor with its preview and diff, and the visibility rule: members-only words are for
logged-in members of the assembly only."""

import itertools
import json
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from ayllu.actions.record import do_append, forget_replayed_state
from ayllu.core.charter.plain import render_charter
from ayllu.core.charter.rules import SCALED_SHARES, parse_charter
from ayllu.core.ledger.record import sign_act
from ayllu.messages import charter_sentence
from ayllu.storage import models
from ayllu.web.address_words import query_name
from factories.charters import no_wait_charter
from factories.keys import keypair
from factories.records import act_body
from factories.scenes import meeting_with_everyone
from factories.stored import StoredAssembly, act, found, found_with_officers, log_in_as

from .test_assembly_pages import url
from .test_translations import visible_text

_nonces = itertools.count(1)
FAR = 4_102_444_800_000
RULE_WORDS = {"es": "Lo que dice el estatuto", "en": "What the charter says"}


@pytest.fixture
def assembly(db: None) -> StoredAssembly:
    """Admission and key replacement by decision; an applicant and a key claim wait."""
    forget_replayed_state()
    charter = no_wait_charter()
    charter["admission"] = {"by": "decision"}
    charter["key_replacement"] = {"by": "decision"}
    founded = found_with_officers("Junta Vecinal Villa Esperanza", charter=charter)
    newcomer, new_device = keypair(60), keypair(61)
    act(founded, newcomer, "member.applied", {"household": "casa-9"})
    act(founded, new_device, "member.key_claimed", {"member": founded.members[2].public})
    return founded


def page(client: Client, address: str) -> str:
    response = client.get(address)
    assert response.status_code == 200, (address, response.status_code)
    return response.content.decode()


def method_sentence(log_charter: dict[str, object], matter: str, language: str) -> str:
    charter = parse_charter(log_charter)
    with translation.override(language):
        return next(
            charter_sentence(mid, params)
            for mid, params in render_charter(charter)
            if params.get("matter") == matter
        )


@pytest.mark.parametrize("language", ["es", "en"])
@pytest.mark.parametrize(
    ("matter", "subject"),
    [
        ("admission", 'name="effect.applicant"'),
        ("suspension", 'name="effect.member"'),
        ("key_replacement", 'name="effect.key"'),
        ("cargo_assignment", 'name="effect.cargo"'),
        ("cargo_creation", 'name="effect.powers"'),
    ],
)
def test_each_matter_has_a_form_with_its_charter_rule(
    client: Client, assembly: StoredAssembly, language: str, matter: str, subject: str
) -> None:
    # given
    log_in_as(client, assembly.log, assembly.members[1])
    charter = no_wait_charter() | {"admission": {"by": "decision"}, "key_replacement": {"by": "decision"}}
    # when
    html = page(client, url(language, assembly.log, "proposals", "new", matter))
    # then
    text = visible_text(html, language=language)
    assert RULE_WORDS[language] in text
    assert method_sentence(charter, matter, language) in text
    assert 'data-type="proposal.tabled"' in html and f'name="body.matter" value="{matter}"' in html
    assert subject in html and "data-ayllu-effect" in html


@pytest.mark.parametrize(
    ("language", "expected"), [("es", "Ningún miembro está suspendido."), ("en", "No member is suspended.")]
)
def test_reinstatement_without_a_suspended_member_says_so(
    client: Client, assembly: StoredAssembly, language: str, expected: str
) -> None:
    # given
    log_in_as(client, assembly.log, assembly.members[1])
    # when
    html = page(client, url(language, assembly.log, "proposals", "new", "reinstatement"))
    # then
    assert expected in visible_text(html, language=language)
    assert 'data-type="proposal.tabled"' not in html


def test_admission_form_names_the_sponsorship_route_when_the_charter_takes_it(
    client: Client, db: None
) -> None:
    # given: the default charter admits by two sponsors
    forget_replayed_state()
    founded = found_with_officers("Cooperativa de Agua Senkata")
    log_in_as(client, founded.log, founded.members[0])
    # when
    html = page(client, url("es", founded.log, "proposals", "new", "admission"))
    # then: no form that replay would refuse with wrong_route
    assert "admite miembros nuevos con avales" in visible_text(html, language="es")
    assert 'data-type="proposal.tabled"' not in html


def test_unknown_matter_and_a_foreign_meeting_are_not_found(client: Client, assembly: StoredAssembly) -> None:
    # given: another assembly with a meeting this one does not have
    other = found_with_officers("Sindicato de Gremiales", seed=40)
    foreign = meeting_with_everyone(other) + 1000
    # when / then
    for language in ("es", "en"):
        assert client.get(url(language, assembly.log, "proposals", "new", "coronation")).status_code == 404
        address = url(language, assembly.log, "proposals", "new", "suspension") + f"?meeting={foreign}"
        assert client.get(address).status_code == 404
        assert client.get(url(language, "0" * 64, "proposals", "new", "admission")).status_code == 404


def _editor_query(html: str, **changes: str) -> dict[str, str]:
    """Every field of the editor as the page filled it, with `changes` over it (as a browser submits)."""
    form = html[html.index('class="panel charter-editor"') :]
    form = form[: form.index("</form>")]
    values = dict(re.findall(r'<input type="(?:number|hidden)"[^>]*name="([^"]+)" value="([^"]*)"', form))
    for select, body in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', form, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected>', body)
        values[select] = chosen[1] if chosen else re.findall(r'<option value="([^"]*)"', body)[0]
    language = re.search(r'<html lang="(\w+)"', html)[1]
    with translation.override(language):  # the page names each field in its language
        values.update({query_name(name): value for name, value in changes.items()})
    return values


@pytest.mark.parametrize(
    ("language", "before", "after"),
    [
        ("es", "cuando están presentes 1 de cada 3 familias", "cuando están presentes 1 de cada 2 familias"),
        ("en", "when 1 of every 3 households are present", "when 1 of every 2 households are present"),
    ],
)
def test_charter_editor_previews_the_new_charter_and_what_changes(
    client: Client, assembly: StoredAssembly, language: str, before: str, after: str
) -> None:
    # given
    log_in_as(client, assembly.log, assembly.members[1])
    address = url(language, assembly.log, "proposals", "new", "charter_amendment")
    editor = page(client, address)
    assert method_sentence(no_wait_charter(), "charter_amendment", language) in visible_text(
        editor, language=language
    )
    # when: the quorum goes from 1 of every 3 households to 1 of every 2
    html = page(
        client,
        address + "?" + "&".join(f"{k}={v}" for k, v in _editor_query(editor, **{"quorum.den": "2"}).items()),
    )
    # then
    diff = visible_text(html[html.index("data-ayllu-diff") :], language=language)
    assert before in diff and after in diff
    effect = json.loads(re.search(r'name="body.effect" value="([^"]+)"', html)[1].replace("&quot;", '"'))
    assert effect["charter"]["quorum"] == {"basis": "households", "share": "1/2"}
    assert effect["charter"]["recall"] == no_wait_charter()["recall"]  # settings the editor does not show
    assert 'name="body.matter" value="charter_amendment"' in html


@pytest.mark.parametrize(
    ("language", "after"),
    [
        ("es", "Una propuesta se discute al menos 2 días y 12 horas entre reuniones"),
        ("en", "A proposal is discussed for at least 2 days and 12 hours between meetings"),
    ],
)
def test_charter_editor_takes_times_in_days_hours_and_minutes(
    client: Client, assembly: StoredAssembly, language: str, after: str
) -> None:
    # given
    log_in_as(client, assembly.log, assembly.members[1])
    address = url(language, assembly.log, "proposals", "new", "charter_amendment")
    editor = page(client, address)
    with translation.override(language):  # each field named in the page's language
        days, minutes = query_name("deliberation.async_ms.days"), query_name("deliberation.voting_ms.minutes")
    assert f'name="{days}"' in editor and f'name="{minutes}"' in editor
    assert (days, minutes) == (
        ("deliberacion.entre-reuniones.dias", "deliberacion.votacion.minutos")
        if language == "es"
        else ("deliberation.async_ms.days", "deliberation.voting_ms.minutes")
    )
    # when: discussion between meetings becomes two and a half days, and voting 1 hour and 30 minutes
    changes = {
        "deliberation.async_ms.days": "2",
        "deliberation.async_ms.hours": "12",
        "deliberation.async_ms.minutes": "0",
        "deliberation.voting_ms.days": "0",
        "deliberation.voting_ms.hours": "1",
        "deliberation.voting_ms.minutes": "30",
    }
    query = "&".join(f"{k}={v}" for k, v in _editor_query(editor, **changes).items())
    html = page(client, f"{address}?{query}")
    # then
    assert after in visible_text(html[html.index("data-ayllu-diff") :], language=language)
    effect = json.loads(re.search(r'name="body.effect" value="([^"]+)"', html)[1].replace("&quot;", '"'))
    assert effect["charter"]["deliberation"]["async_ms"] == (2 * 24 + 12) * 3_600_000
    assert effect["charter"]["deliberation"]["voting_ms"] == 90 * 60_000


@pytest.mark.parametrize(
    ("language", "before", "after"),
    [
        (
            "es",
            "Un sorteo elige entre 1000 comisiones posibles",
            "Un sorteo elige entre 10000 comisiones posibles",
        ),
        (
            "en",
            "A draw by lot chooses among 1000 possible committees",
            "A draw by lot chooses among 10000 possible committees",
        ),
    ],
)
def test_charter_editor_sets_how_many_panels_a_draw_chooses_among(
    client: Client, assembly: StoredAssembly, language: str, before: str, after: str
) -> None:
    # given the editor of a charter that says nothing of draws (1,000 panels)
    log_in_as(client, assembly.log, assembly.members[1])
    address = url(language, assembly.log, "proposals", "new", "charter_amendment")
    editor = page(client, address)
    with translation.override(language):
        assert f'name="{query_name("sortition.panels")}" value="1000"' in editor
    # when another setting changes, and then the number of panels does
    other = _editor_query(editor, **{"quorum.den": "2"})
    unchanged = page(client, address + "?" + "&".join(f"{k}={v}" for k, v in other.items()))
    query = _editor_query(editor, **{"sortition.panels": "10000"})
    html = page(client, address + "?" + "&".join(f"{k}={v}" for k, v in query.items()))
    # then the charter states the number only once it was changed, and the diff says so in words
    effect_of = re.compile(r'name="body.effect" value="([^"]+)"')
    assert "sortition" not in json.loads(effect_of.search(unchanged)[1].replace("&quot;", '"'))["charter"]
    effect = json.loads(effect_of.search(html)[1].replace("&quot;", '"'))
    assert effect["charter"]["sortition"] == {"panels": 10000}
    diff = visible_text(html[html.index("data-ayllu-diff") :], language=language)
    assert before in diff and after in diff


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("es", "Una reforma del estatuto debe necesitar más apoyo que un asunto ordinario"),
        ("en", "A charter amendment must need more support than an ordinary matter"),
    ],
)
def test_charter_editor_refuses_an_amendment_rule_no_higher_than_ordinary(
    client: Client, assembly: StoredAssembly, language: str, expected: str
) -> None:
    # given
    log_in_as(client, assembly.log, assembly.members[1])
    address = url(language, assembly.log, "proposals", "new", "charter_amendment")
    query = _editor_query(
        page(client, address),
        **{"methods.charter_amendment.num": "1", "methods.charter_amendment.den": "3"},
    )
    # when
    html = page(client, address + "?" + "&".join(f"{k}={v}" for k, v in query.items()))
    # then: the reason in words, and no form that could sign it
    assert expected in visible_text(html, language=language)
    assert 'data-type="proposal.tabled"' not in html


def test_a_tabled_amendment_shows_what_it_changes(client: Client, assembly: StoredAssembly) -> None:
    # given
    amended = no_wait_charter() | {"petition": {"signatures": 2}}
    proposal = act(
        assembly,
        assembly.members[0],
        "proposal.tabled",
        {"matter": "charter_amendment", "title": "Menos firmas", "text": "", "effect": {"charter": amended}},
    )
    # when
    text = visible_text(page(client, url("en", assembly.log, "proposals", proposal)), language="en")
    # then
    assert "What this amendment changes in the charter" in text
    assert "5 members may convene a meeting by petition." in text
    assert "2 members may convene a meeting by petition." in text


def test_the_cargo_creation_form_offers_every_power_a_delegation_term_and_seats(
    client: Client, assembly: StoredAssembly
) -> None:
    # given
    log_in_as(client, assembly.log, assembly.members[1])
    # when
    html = page(client, url("es", assembly.log, "proposals", "new", "cargo_creation"))
    # then: each power is a box to tick, in words; representing needs the other body's name
    text = visible_text(html, language="es")
    assert "Proponer un nuevo cargo" in text
    for power in ("convene_meetings", "keep_minutes", "publish_announcements", "keep_accounts"):
        assert f'name="effect.powers" value="{power}"' in html
    assert 'data-ayllu-prefix="represent_in:"' in html
    assert (
        'name="effect.term_days"' in html and 'name="effect.seats"' in html and 'name="effect.burden"' in html
    )


def test_the_new_cargos_title_names_the_cargo_once_it_is_typed(
    client: Client, assembly: StoredAssembly
) -> None:
    # given
    log_in_as(client, assembly.log, assembly.members[1])
    # when
    html = page(client, url("es", assembly.log, "proposals", "new", "cargo_creation"))
    # then: the name's box feeds the title, which starts as the matter's word (assembly.js)
    assert re.search(r'<input name="effect.cargo"[^>]* data-ayllu-title-source>', html)
    assert re.search(
        r'<input name="body.title"[^>]* value="Cargo nuevo" data-ayllu-title-target '
        r'data-ayllu-title-prefix="Cargo nuevo">',
        html,
    )


def test_without_javascript_the_new_cargos_title_names_the_cargo_from_the_server(
    client: Client, assembly: StoredAssembly
) -> None:
    # given: a member whose browser runs no script, in a meeting
    log_in_as(client, assembly.log, assembly.members[1])
    meeting = meeting_with_everyone(assembly, title="Asamblea de mayo")
    address = url("es", assembly.log, "proposals", "new", "cargo_creation")
    # when: the page's own name form (shown only without JavaScript) asks the page again with the name
    first = page(client, f"{address}?reunion={meeting}")
    named = page(client, f"{address}?reunion={meeting}&cargo=%3Cb%3Edelegaci%C3%B3n%3C/b%3E")
    # then: the first offers that form, in Spanish, keeping the meeting
    noscript = first[first.index("<noscript>") : first.index("</noscript>")]
    assert (
        'method="get"' in noscript
        and 'name="cargo"' in noscript
        and f'name="reunion" value="{meeting}"' in noscript
    )
    assert "Primero, el nombre del cargo" in noscript
    # and the second fills the name and the title, escaped, still in the meeting
    assert re.search(r'<input name="effect.cargo"[^>]* value="&lt;b&gt;delegación&lt;/b&gt;"', named)
    assert 'value="Cargo nuevo: &lt;b&gt;delegación&lt;/b&gt;" data-ayllu-title-target' in named
    assert 'name="body.meeting" value="' + str(meeting) + '"' in named


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("es", "En la reunión «Asamblea de mayo»: se decidirá allí, con los miembros presentes."),
        ("en", "In the meeting “Asamblea de mayo”: it will be decided there, with the members present."),
    ],
)
def test_a_charter_amendment_tabled_from_a_meeting_says_it_is_for_that_meeting(
    client: Client, assembly: StoredAssembly, language: str, said: str
) -> None:
    # given: a meeting in progress
    log_in_as(client, assembly.log, assembly.members[1])
    meeting = meeting_with_everyone(assembly, title="Asamblea de mayo")
    address = url(language, assembly.log, "proposals", "new", "charter_amendment")
    # when
    in_meeting = visible_text(page(client, f"{address}?meeting={meeting}"), language=language)
    between = visible_text(page(client, address), language=language)
    # then
    assert said in in_meeting and said not in between


def test_the_charter_editor_opens_on_its_heading_with_no_gap_above(
    client: Client, assembly: StoredAssembly
) -> None:
    # given
    log_in_as(client, assembly.log, assembly.members[1])
    meeting = meeting_with_everyone(assembly)
    # when
    html = page(
        client, url("es", assembly.log, "proposals", "new", "charter_amendment") + f"?meeting={meeting}"
    )
    # then: the heading is the panel's first child, so its top margin is dropped (.panel > h2:first-child)
    assert re.search(r'<form class="panel charter-editor"[^>]*>\s*<h2>Las reglas</h2>', html)


def test_the_assignment_form_chooses_among_existing_cargos(client: Client, assembly: StoredAssembly) -> None:
    # given
    log_in_as(client, assembly.log, assembly.members[1])
    # when
    html = page(client, url("es", assembly.log, "proposals", "new", "cargo_assignment"))
    # then: a choice of the cargos the assembly has, not a name to type
    chooser = html[html.index('<select name="effect.cargo"') :]
    chooser = chooser[: chooser.index("</select>")]
    assert '<option value="convenor">' in chooser and '<option value="minute_keeper">' in chooser
    assert '<input name="effect.cargo"' not in html


def test_without_any_cargo_the_assignment_form_sends_to_the_creation_form(client: Client, db: None) -> None:
    # given: an assembly founded without cargos
    forget_replayed_state()
    founded = found("Junta Vecinal Sin Cargos", members=(keypair(1), keypair(2), keypair(3)))
    log_in_as(client, founded.log, founded.members[0])
    # when
    html = page(client, url("es", founded.log, "proposals", "new", "cargo_assignment"))
    # then
    text = visible_text(html, language="es")
    assert "La asamblea aún no tiene cargos: primero proponga crear uno." in text
    assert 'data-type="proposal.tabled"' not in html
    assert url("es", founded.log, "proposals", "new", "cargo_creation") in html


def test_a_new_cargo_with_the_power_to_represent_makes_its_holder_a_delegate(
    client: Client, assembly: StoredAssembly
) -> None:
    # given: the effect the creation form writes, tabled and decided
    effect = {
        "cargo": "delegacion",
        "powers": ["represent_in:fejuve"],
        "burden": 2,
        "term_days": 30,
        "seats": 1,
    }
    decide(assembly, "cargo_creation", effect)
    # when
    text = visible_text(page(client, route("es", "mandates", log=assembly.log)), language="es")
    # then: the mandates page has a body to represent, and someone represents the assembly there
    assert "fejuve" in text and "Representada ahora por nadie" not in text
    assert "Representada ahora por" in text


@pytest.mark.parametrize(
    ("powers", "code"), [(["change_charter"], "forbidden_power"), (["fly"], "unknown_power")]
)
def test_a_cargo_with_a_power_nobody_may_hold_is_refused_in_words_and_nothing_is_written(
    client: Client, assembly: StoredAssembly, powers: list[str], code: str
) -> None:
    # given
    log_in_as(client, assembly.log, assembly.members[0])
    effect = {"cargo": "mandamas", "powers": powers, "burden": 1, "term_days": 30, "seats": 1}
    content = {"matter": "cargo_creation", "title": "Mandamás", "text": "", "effect": effect}
    body = act_body("proposal.tabled", content, vis="public")
    signed = sign_act(assembly.members[0], log=assembly.log, type="proposal.tabled", body=body, nonce="c-1")
    assert body.words is not None
    payload = {
        "act": signed.act.as_json(),
        "body": body.raw.decode(),
        "words": body.words.raw.decode(),
        "asig": signed.asig,
    }
    before = read_size(assembly.log)
    # when
    response = client.post(
        route("es", "submit_act", log=assembly.log), payload, content_type="application/json"
    )
    # then
    assert response.status_code == 409 and response.json()["code"] == code
    assert response.json()["message"] and "power" not in response.json()["message"]
    assert read_size(assembly.log) == before


def route(language: str, name: str, **kwargs: str) -> str:
    with translation.override(language):
        return reverse(f"web:{name}", kwargs=kwargs)


def read_size(log: str) -> int:
    return int(models.Record.objects.get(log=log).head_seq)


def decide(assembly: StoredAssembly, matter: str, effect: dict[str, object]) -> int:
    """Table a proposal between meetings, every member votes yes, and close it."""
    proposal = act(
        assembly,
        assembly.members[0],
        "proposal.tabled",
        {"matter": matter, "title": matter, "text": "", "effect": effect},
    )
    question = act(assembly, assembly.members[0], "question.opened", {"proposal": proposal, "deadline": FAR})
    for member in assembly.members:
        act(assembly, member, "vote.cast", {"question": question, "choice": "yes"})
    act(assembly, assembly.members[0], "question.closed", {"question": question})
    return proposal


def test_cosigning_petitions_and_agenda_proposals_have_forms(
    client: Client, assembly: StoredAssembly
) -> None:
    # given: an open proposal, a petition with one signature, an open meeting with everyone present
    a, b = assembly.members[:2]
    proposal = act(
        assembly,
        a,
        "proposal.tabled",
        {"matter": "ordinary", "title": "Pintar la sede", "text": "", "effect": {}},
    )
    petition = act(assembly, a, "meeting.petitioned", {"purpose": "Hablar del agua"})
    meeting = meeting_with_everyone(assembly)
    log_in_as(client, assembly.log, b)
    # when
    proposal_page = page(client, url("es", assembly.log, "proposals", proposal))
    meetings_page = page(client, url("es", assembly.log, "meetings"))
    meeting_page = page(client, url("es", assembly.log, "meetings", meeting))
    # then
    assert 'data-type="proposal.cosigned"' in proposal_page and "Cofirmar esta propuesta" in proposal_page
    assert f'name="body.petition" value="{petition}"' in meetings_page
    assert "1 de 5 firmas" in visible_text(meetings_page, language="es")
    assert "cuando 5 miembros firman una petición" in visible_text(meetings_page, language="es")
    assert 'name="body.kind" value="proposal"' in meeting_page
    assert f'<option value="{proposal}">Pintar la sede</option>' in meeting_page


def test_lost_device_page_claims_with_a_new_key_and_members_vouch(client: Client, db: None) -> None:
    # given: the default charter replaces keys when 3 members vouch; a claim waits
    forget_replayed_state()
    founded = found_with_officers("Cooperativa de Agua Senkata")
    act(founded, keypair(61), "member.key_claimed", {"member": founded.members[2].public})
    # when
    claim_page = page(client, url("es", founded.log) + "dispositivo-perdido/")
    log_in_as(client, founded.log, founded.members[0])
    members_page = page(client, url("es", founded.log, "members"))
    # then
    assert 'data-type="member.key_claimed"' in claim_page
    assert "cuando 3 miembros avalan la clave nueva" in visible_text(claim_page, language="es") or (
        RULE_WORDS["es"] in visible_text(claim_page, language="es")
    )
    assert 'data-type="member.key_vouched"' in members_page
    assert f'name="body.key" value="{keypair(61).public}"' in members_page


def members_only(assembly: StoredAssembly, author: object, type: str, content: dict[str, object]) -> int:
    """Append an act whose body its author signed for members only."""
    body = act_body(type, content, vis="members")
    signed = sign_act(author, log=assembly.log, type=type, body=body, nonce=f"m{next(_nonces)}")  # type: ignore[arg-type]
    return do_append(assembly.log, signed_act=signed, body=body).seq


@pytest.fixture
def private(assembly: StoredAssembly) -> dict[str, int]:
    """A proposal and a comment signed for members only, and a household named in a members-only body."""
    a, b = assembly.members[:2]
    proposal = members_only(
        assembly,
        a,
        "proposal.tabled",
        {"matter": "ordinary", "title": "Deuda de la casa 4", "text": "Debe 300.", "effect": {}},
    )
    members_only(assembly, b, "comment.posted", {"proposal": proposal, "text": "Hablemos con la familia."})
    members_only(assembly, keypair(70), "member.applied", {"household": "familia-quispe"})
    return {"proposal": proposal}


@pytest.mark.parametrize("language", ["es", "en"])
def test_outsiders_see_that_members_only_acts_exist_but_not_their_words(
    client: Client, assembly: StoredAssembly, private: dict[str, int], language: str
) -> None:
    # given: nobody logged in
    marker = {"es": "(solo para miembros)", "en": "(members only)"}[language]
    # when
    listing = page(client, url(language, assembly.log, "proposals"))
    proposal = page(client, url(language, assembly.log, "proposals", private["proposal"]))
    members = page(client, url(language, assembly.log, "members"))
    # then
    for html in (listing, proposal):
        assert marker in html and "Deuda de la casa 4" not in html
    assert "Debe 300." not in proposal and "Hablemos con la familia." not in proposal
    assert "familia-quispe" not in members and marker in members


def test_members_read_members_only_words(
    client: Client, assembly: StoredAssembly, private: dict[str, int]
) -> None:
    # given: a member of this assembly logged in
    log_in_as(client, assembly.log, assembly.members[3])
    # when
    proposal = page(client, url("es", assembly.log, "proposals", private["proposal"]))
    members = page(client, url("es", assembly.log, "members"))
    # then
    assert (
        "Deuda de la casa 4" in proposal
        and "Debe 300." in proposal
        and "Hablemos con la familia." in proposal
    )
    assert "(solo para miembros)" not in proposal
    assert "familia-quispe" in members


def test_a_member_of_another_assembly_is_an_outsider_here(
    client: Client, assembly: StoredAssembly, private: dict[str, int]
) -> None:
    # given: logged in to another assembly on the same node
    other = found_with_officers("Sindicato de Gremiales", seed=40)
    log_in_as(client, other.log, other.members[0])
    # when
    html = page(client, url("en", assembly.log, "proposals", private["proposal"]))
    # then
    assert "Deuda de la casa 4" not in html and "(members only)" in html


def test_charter_editor_makes_an_old_charters_counts_scale_and_says_so(client: Client, db: None) -> None:
    # given: four members under a charter written before counts scaled (five signatures to convene)
    forget_replayed_state()
    founded = found_with_officers("Junta Vecinal de Cuatro", charter=no_wait_charter())
    log_in_as(client, founded.log, founded.members[0])
    address = url("es", founded.log, "proposals", "new", "charter_amendment")
    query = _editor_query(page(client, address), **{"speaking.limit_s": "120"})
    # when
    preview = client.get(address, {**query, "preview": "1"}).content.decode()
    # then: the amendment also lets the counts shrink with the assembly, and the diff says so
    text = visible_text(preview, language="es")
    assert (
        "Mientras la asamblea es pequeña, bastan menos firmas para convocar una reunión: 1 de cada 2" in text
    )
    assert 'data-type="proposal.tabled"' in preview


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("es", "mientras la asamblea es pequeña"),
        ("en", "While the assembly is small it needs fewer vouchers for a new key"),
    ],
)
def test_the_lost_device_page_says_that_a_small_assembly_needs_fewer_vouchers(
    client: Client, db: None, language: str, expected: str
) -> None:
    # given: the charter a founding proposes (vouchers that shrink with the assembly), four members
    forget_replayed_state()
    charter = no_wait_charter() | {"scaled": dict(SCALED_SHARES)}
    founded = found_with_officers("Junta Vecinal Los Andes", charter=charter)
    # when: a member who lost their phone opens the page on the new one
    html = page(client, route(language, "lost_device", log=founded.log))
    # then: beside the charter's three vouchers it says that fewer are needed while the assembly is small
    assert expected.lower() in visible_text(html, language=language).lower()


@pytest.mark.parametrize("language", ["es", "en"])
def test_charter_editor_offers_a_method_for_each_matter_the_charter_may_leave_unnamed(
    client: Client, assembly: StoredAssembly, language: str
) -> None:
    # given the editor of a charter that names no method for erasing words (decided as a suspension)
    log_in_as(client, assembly.log, assembly.members[1])
    assert "erasure" not in no_wait_charter()["methods"]
    address = url(language, assembly.log, "proposals", "new", "charter_amendment")
    editor = page(client, address)
    effect_of = re.compile(r'name="body.effect" value="([^"]+)"')

    def amended(**changes: str) -> tuple[dict[str, object], str]:
        query = _editor_query(editor, **changes)
        html = page(client, address + "?" + "&".join(f"{k}={v}" for k, v in query.items()))
        return json.loads(effect_of.search(html)[1].replace("&quot;", '"'))["charter"], html

    # when another setting changes, the matter left as it is; then the matter gets a method of its own
    unchanged, _ = amended(**{"quorum.den": "2"})
    charter, html = amended(**{"methods.erasure.method": "consensus"})
    # then the charter names it only once it was chosen, and the diff says so in the matter's words
    assert "erasure" not in unchanged["methods"]
    assert charter["methods"]["erasure"] == {"method": "consensus"}
    for matter in ("cargo_creation", "exemption", "mandate"):
        assert f'data-ayllu-optional-matter="{matter}"' in editor
    diff = visible_text(html[html.index("data-ayllu-diff") :], language=language)
    assert method_sentence(charter, "erasure", language) in diff
