"""Founding an assembly from the browser, page by page (es/en): a draft on the node, each founder's key
filed, the content frozen and endorsed, the first founder's act signed; nothing is in any record before.

The founders' devices are played here by Keypairs signing exactly what the page gives them to sign.
"""

import json
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from ayllu.actions.founding_drafts import founding_act, get_draft
from ayllu.actions.record import forget_replayed_state
from ayllu.core.ledger.canonical import canonical_bytes
from ayllu.core.ledger.keys import ACT_CONTEXT, ENDORSE_CONTEXT, Keypair
from ayllu.queries.assembly import list_members
from ayllu.storage import models
from factories.keys import keypair
from factories.stored import log_in_as

FOUND = {"es": "/es/fundar/", "en": "/en/found/"}
WORDS = {
    "es": {
        "start": "Empezar la fundación",
        "forged": "El respaldo no corresponde a la clave de este fundador",
        "reused": "Otro fundador ya registró esa clave",
        "invalid": "Dé un nombre a la asamblea",
        "not_first": "Solo quien empezó la fundación firma el acta de fundación.",
        "founded": "La asamblea está fundada.",
        "elsewhere": "Este enlace de fundación no es válido en este nodo.",
        "expired": "Esta fundación caducó: nadie dio un paso en ella durante 30 días",
        "too_many": "Llegaron demasiadas solicitudes de este tipo desde su dirección.",
    },
    "en": {
        "start": "Start the founding",
        "forged": "The endorsement does not match this founder",
        "reused": "That key is already filed by another founder",
        "invalid": "Give the assembly a name",
        "not_first": "Only the first founder signs the founding act.",
        "founded": "The assembly is founded.",
        "elsewhere": "This founding link is not valid on this node.",
        "expired": "This founding has expired: no founder took a step in it for 30 days",
        "too_many": "Too many requests of this kind came from your address.",
    },
}
FOUNDERS = (keypair(31), keypair(32), keypair(33))


@pytest.fixture(autouse=True)
def fresh_state(db: None) -> None:
    forget_replayed_state()


def open_draft(client: Client, lang: str) -> tuple[str, list[str]]:
    """Start a founding of three households; return the draft id and every founder's page path."""
    form = {"name": "Junta Vecinal Nueva", "households": "casa-1\ncasa-2\ncasa-3"}
    response = client.post(FOUND[lang], form)
    assert response.status_code == 302
    first = response["Location"]
    page = client.get(first).content.decode()
    links = re.findall(r'class="[^"]*founding-link[^"]*"[^>]*>http://testserver([^<]+)<', page)
    draft = first.strip("/").split("/")[-2]
    return draft, links


def post(client: Client, path: str, payload: dict[str, str]) -> tuple[int, dict[str, str]]:
    response = client.post(path, json.dumps(payload), content_type="application/json")
    return response.status_code, response.json()


def file_keys(client: Client, links: list[str], founders: tuple[Keypair, ...] = FOUNDERS) -> None:
    for link, founder in zip(links, founders, strict=True):
        assert post(client, link, {"key": founder.public})[0] == 200


def endorse_all(client: Client, draft: str, links: list[str]) -> None:
    content = canonical_bytes(json.loads(get_draft(draft).content))
    for link, founder in zip(links, FOUNDERS, strict=True):
        assert post(client, link, {"sig": founder.sign(ENDORSE_CONTEXT, content)})[0] == 200


def act_signature(draft: str) -> str:
    act = founding_act(get_draft(draft)).as_json()
    return FOUNDERS[0].sign(ACT_CONTEXT, canonical_bytes(act))


@pytest.mark.parametrize("lang", ["es", "en"])
def test_the_start_page_shows_the_form_and_the_default_charter(lang: str) -> None:
    # when
    response = Client().get(FOUND[lang])
    # then
    assert response.status_code == 200
    text = response.content.decode()
    assert WORDS[lang]["start"] in text
    assert 'name="households"' in text and 'class="charter"' in text


@pytest.mark.parametrize("lang", ["es", "en"])
def test_a_founding_without_households_is_refused_in_words_and_nothing_is_kept(lang: str) -> None:
    # when
    response = Client().post(FOUND[lang], {"name": "Junta", "households": "  \n"})
    # then
    assert response.status_code == 400
    assert WORDS[lang]["invalid"] in response.content.decode()
    assert models.FoundingDraft.objects.count() == 0


@pytest.mark.parametrize("lang", ["es", "en"])
def test_three_founders_found_an_assembly_step_by_step_and_one_logs_in(lang: str) -> None:
    # given: a draft with one link per founder, shown to the first founder
    client = Client()
    draft, links = open_draft(client, lang)
    assert len(links) == 3 and links[0].startswith(f"/{lang}/")
    # when: every founder files a key; the content freezes with every key, the first as convenor
    file_keys(client, links)
    content = json.loads(get_draft(draft).content)
    # then
    assert [f["key"] for f in content["founders"]] == [f.public for f in FOUNDERS]
    assert content["cargos"][0]["holder"] == FOUNDERS[0].public
    # when: every founder endorses and the first founder signs the act
    endorse_all(client, draft, links)
    assert models.Record.objects.count() == 0  # nothing in any record yet
    status, answer = post(client, links[0], {"asig": act_signature(draft)})
    # then: the record exists with three members, every founder's page says so, and one logs in
    assert status == 201
    log = answer["log"]
    assert [m.household for m in list_members(log).members] == ["casa-1", "casa-2", "casa-3"]
    page = Client().get(links[2]).content.decode()
    assert WORDS[lang]["founded"] in page and f'data-log="{log}"' in page
    member = Client()
    log_in_as(member, log, FOUNDERS[2])
    assert member.get(f"/{lang}/").status_code == 200


@pytest.mark.parametrize("lang", ["es", "en"])
def test_a_forged_endorsement_is_refused_in_words_and_not_kept(lang: str) -> None:
    # given
    client = Client()
    draft, links = open_draft(client, lang)
    file_keys(client, links)
    content = canonical_bytes(json.loads(get_draft(draft).content))
    # when: founder 2's place gets a signature made by someone else's key
    status, answer = post(client, links[1], {"sig": keypair(99).sign(ENDORSE_CONTEXT, content)})
    # then
    assert status == 400
    assert answer["code"] == "draft_bad_endorsement"
    assert WORDS[lang]["forged"] in answer["message"]
    assert get_draft(draft).seats[1].sig == ""


@pytest.mark.parametrize("lang", ["es", "en"])
def test_a_founder_key_reused_by_another_founder_is_refused(lang: str) -> None:
    # given
    client = Client()
    draft, links = open_draft(client, lang)
    post(client, links[0], {"key": FOUNDERS[0].public})
    # when
    status, answer = post(client, links[1], {"key": FOUNDERS[0].public})
    # then
    assert status == 400
    assert answer["code"] == "draft_key_in_use"
    assert WORDS[lang]["reused"] in answer["message"]
    assert get_draft(draft).seats[1].key == ""


@pytest.mark.parametrize("lang", ["es", "en"])
def test_a_draft_of_another_node_is_not_found_here(lang: str) -> None:
    # given: a draft this node holds but that another node's key made
    client = Client()
    draft, links = open_draft(client, lang)
    models.FoundingDraft.objects.filter(draft=draft).update(node="ab" * 32)
    # when
    page = client.get(links[0])
    status, answer = post(client, links[0], {"key": FOUNDERS[0].public})
    # then
    assert page.status_code == 404 and WORDS[lang]["elsewhere"] in page.content.decode()
    assert status == 404 and answer["message"] == WORDS[lang]["elsewhere"]


@pytest.mark.parametrize("lang", ["es", "en"])
def test_a_made_up_founder_link_is_not_found(lang: str) -> None:
    # given
    client = Client()
    _, links = open_draft(client, lang)
    # when
    page = client.get(links[0].replace(links[0].strip("/").split("/")[-1], "not-a-token"))
    # then
    assert page.status_code == 404


@pytest.mark.parametrize("lang", ["es", "en"])
def test_only_the_first_founder_signs_and_only_once_everyone_endorsed(lang: str) -> None:
    # given
    client = Client()
    draft, links = open_draft(client, lang)
    file_keys(client, links)
    # when: the act is sent before the endorsements, then by the second founder
    early = post(client, links[0], {"asig": "00" * 64})
    endorse_all(client, draft, links)
    by_second = post(client, links[1], {"asig": act_signature(draft)})
    # then
    assert early[0] == 400 and early[1]["code"] == "draft_not_ready"
    assert by_second[0] == 400 and by_second[1]["message"] == WORDS[lang]["not_first"]
    assert models.Record.objects.count() == 0


def test_a_bad_act_signature_writes_no_record() -> None:
    # given
    client = Client()
    draft, links = open_draft(client, "en")
    file_keys(client, links)
    endorse_all(client, draft, links)
    # when: the act is signed by founder 2's key in founder 1's place
    act = founding_act(get_draft(draft)).as_json()
    status, _ = post(client, links[0], {"asig": FOUNDERS[1].sign(ACT_CONTEXT, canonical_bytes(act))})
    # then
    assert status >= 400
    assert models.Record.objects.count() == 0
    assert get_draft(draft).log == ""


NODE_TOO_MANY = {
    "es": "Este nodo no acepta por ahora más solicitudes de este tipo, de nadie.",
    "en": "This node takes no more requests of this kind for now, from anyone.",
}


@pytest.mark.parametrize("lang", ["es", "en"])
def test_drafts_opened_from_one_address_are_limited_in_words(lang: str, settings) -> None:
    # given: one address opening drafts up to its limit
    settings.AYLLU_FOUNDING_DRAFTS_PER_ADDRESS = 2
    client = Client()
    for _ in range(2):
        open_draft(client, lang)
    # when
    response = client.post(FOUND[lang], {"name": "Junta", "households": "casa-1"})
    # then
    assert response.status_code == 429
    assert WORDS[lang]["too_many"] in response.content.decode()
    assert models.FoundingDraft.objects.count() == 2
    # and another address may still open one
    elsewhere = Client(REMOTE_ADDR="192.0.2.41")
    assert elsewhere.post(FOUND[lang], {"name": "J", "households": "c"}).status_code == 302


@pytest.mark.parametrize("lang", ["es", "en"])
def test_drafts_opened_from_every_address_together_are_limited_in_words(lang: str, settings) -> None:
    # given: the node takes 2 drafts a window, and two addresses opened them
    settings.AYLLU_FOUNDING_DRAFTS_PER_WINDOW = 2
    for n in range(2):
        open_draft(Client(REMOTE_ADDR=f"192.0.2.{n + 50}"), lang)
    # when: a third address opens one
    response = Client(REMOTE_ADDR="192.0.2.60").post(FOUND[lang], {"name": "Junta", "households": "casa-1"})
    # then
    assert response.status_code == 429
    assert NODE_TOO_MANY[lang] in response.content.decode()
    assert models.FoundingDraft.objects.count() == 2


def _form_nonce(client: Client, lang: str) -> str:
    page = client.get(FOUND[lang]).content.decode()
    (nonce,) = re.findall(r'name="request" value="([^"]+)"', page)
    return nonce


def test_the_same_opening_form_sent_again_answers_its_draft_uncounted(settings) -> None:
    # given: an address allowed one draft, whose opening form was sent once
    settings.AYLLU_FOUNDING_DRAFTS_PER_ADDRESS = 1
    client = Client()
    form = {"name": "Junta", "households": "casa-1\ncasa-2", "request": _form_nonce(client, "en")}
    first = client.post(FOUND["en"], form)
    # when: the same form is sent again (a double click, a resend after a lost answer)
    again = client.post(FOUND["en"], form)
    # then: the same draft, the same first founder's page, and still one draft
    assert (first.status_code, again.status_code) == (302, 302)
    assert again["Location"] == first["Location"]
    assert models.FoundingDraft.objects.count() == 1


def test_the_same_form_with_other_words_opens_another_draft_and_is_counted(settings) -> None:
    # given
    settings.AYLLU_FOUNDING_DRAFTS_PER_ADDRESS = 1
    client = Client()
    nonce = _form_nonce(client, "en")
    assert (
        client.post(FOUND["en"], {"name": "Junta", "households": "casa-1", "request": nonce}).status_code
        == 302
    )
    # when: back, the name changed, sent again with the page's nonce
    response = client.post(FOUND["en"], {"name": "Junta Nueva", "households": "casa-1", "request": nonce})
    # then: another opening, counted like any
    assert response.status_code == 429
    assert models.FoundingDraft.objects.count() == 1


def test_a_refused_opening_is_not_counted(settings) -> None:
    # given: an address allowed one draft, whose first tries are refused (nothing written)
    settings.AYLLU_FOUNDING_DRAFTS_PER_ADDRESS = 1
    client = Client()
    for form in ({"name": "Junta", "households": ""}, {"name": "Junta\u202e", "households": "casa-1"}):
        assert client.post(FOUND["en"], form).status_code == 400
    # when
    response = client.post(FOUND["en"], {"name": "Junta", "households": "casa-1"})
    # then
    assert response.status_code == 302
    assert models.FoundingDraft.objects.count() == 1


def test_foundings_signed_from_one_address_are_limited(settings) -> None:
    # given: a draft ready to sign, from an address that already used up its foundings
    client = Client()
    draft, links = open_draft(client, "en")
    file_keys(client, links)
    endorse_all(client, draft, links)
    settings.AYLLU_FOUNDINGS_PER_ADDRESS = 0
    # when
    status, answer = post(client, links[0], {"asig": act_signature(draft)})
    # then
    assert (status, answer["code"]) == (429, "writes_rate_limited")
    assert answer["detail"] == {"kind": "founding", "seconds": 3600}
    assert models.Record.objects.count() == 0


def leave_untouched(draft: str, *, days: float) -> None:
    """Move the draft's last step `days` into the past."""
    models.FoundingDraft.objects.filter(draft=draft).update(touched=timezone.now() - timedelta(days=days))


@pytest.mark.parametrize("lang", ["es", "en"])
def test_a_draft_nobody_touched_for_the_lifetime_answers_that_it_expired(lang: str, settings) -> None:
    # given: a draft in which one founder filed a key, then nothing for 30 days and a bit
    client = Client()
    draft, links = open_draft(client, lang)
    assert post(client, links[0], {"key": FOUNDERS[0].public})[0] == 200
    leave_untouched(draft, days=settings.AYLLU_FOUNDING_DRAFT_DAYS + 0.01)
    # when
    page = client.get(links[1])
    status, answer = post(client, links[1], {"key": FOUNDERS[1].public})
    # then: a clear answer in the page's language, nothing filed
    assert page.status_code == 410 and WORDS[lang]["expired"] in page.content.decode()
    assert status == 410 and answer["code"] == "draft_expired"
    assert answer["message"].startswith(WORDS[lang]["expired"])
    assert answer["detail"] == {"draft": draft, "days": 30}
    assert models.FoundingSeat.objects.get(founding__draft=draft, position=1).key == ""


def test_each_step_renews_the_drafts_lifetime(settings) -> None:
    # given: a draft untouched for almost its whole lifetime
    client = Client()
    draft, links = open_draft(client, "en")
    leave_untouched(draft, days=settings.AYLLU_FOUNDING_DRAFT_DAYS - 0.01)
    # when: a founder files a key
    assert post(client, links[0], {"key": FOUNDERS[0].public})[0] == 200
    # then: the draft lasts another lifetime from now
    touched = models.FoundingDraft.objects.get(draft=draft).touched
    assert timezone.now() - touched < timedelta(minutes=1)
    assert client.get(links[1]).status_code == 200


def test_opening_a_draft_deletes_the_expired_ones(settings) -> None:
    # given: one draft expired, one still within its lifetime
    client = Client()
    expired, _ = open_draft(client, "en")
    recent, _ = open_draft(client, "en")
    leave_untouched(expired, days=settings.AYLLU_FOUNDING_DRAFT_DAYS + 1)
    leave_untouched(recent, days=settings.AYLLU_FOUNDING_DRAFT_DAYS - 1)
    # when
    opened, _ = open_draft(client, "en")
    # then: the expired draft and its seats are gone
    kept = set(models.FoundingDraft.objects.values_list("draft", flat=True))
    assert kept == {recent, opened}
    assert not models.FoundingSeat.objects.filter(founding__draft=expired).exists()


def test_a_founder_waiting_for_the_others_sees_the_page_refresh_by_itself() -> None:
    # given: three founders; the first files her key
    client = Client()
    draft, links = open_draft(client, "es")
    refresh = '<meta http-equiv="refresh"'
    before = client.get(links[0]).content.decode()
    post(client, links[0], {"key": FOUNDERS[0].public})
    # when: she reads her page while the others have not filed theirs; then every founder endorsed
    waiting = client.get(links[0]).content.decode()
    file_keys(client, links[1:], FOUNDERS[1:])
    endorse_all(client, draft, links)
    first_signs = client.get(links[0]).content.decode()
    second_waits = client.get(links[1]).content.decode()
    # then: the page looks again by itself only while there is nothing for her to press
    assert refresh not in before
    assert refresh in waiting
    assert refresh not in first_signs
    assert refresh in second_waits


def test_resending_the_founding_signature_is_not_counted(settings) -> None:
    # given: an address that may sign one founding, and signed it
    settings.AYLLU_FOUNDINGS_PER_ADDRESS = 1
    client = Client()
    draft, links = open_draft(client, "en")
    file_keys(client, links)
    endorse_all(client, draft, links)
    signature = act_signature(draft)
    status, answer = post(client, links[0], {"asig": signature})
    assert status == 201
    # when: the page sends the same signature again (its first answer was lost)
    resends = [post(client, links[0], {"asig": signature}) for _ in range(4)]
    # then: the draft answers that it is founded, never 429
    assert [(s, a["code"], a["detail"]["log"]) for s, a in resends] == [
        (400, "draft_not_ready", answer["log"])
    ] * 4
    assert models.Record.objects.count() == 1


def test_each_founders_page_says_which_founder_they_are_in_plain_spanish() -> None:
    # given a founding of three households opened in Spanish
    client = Client()
    _, links = open_draft(client, "es")
    # when the second founder opens their link
    page = client.get(links[1]).content.decode()
    # then the page names them as the founders' list does ("Fundador 2"), not as a place in a queue
    assert "Usted es el fundador 2 de 3, por la familia" in page
    assert "en el lugar" not in page
