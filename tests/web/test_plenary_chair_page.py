"""A plenary's chair on its meeting's page and through the API (decision 0030): each delegate present
whose home record this node holds is offered "Take the chair" once the sitting opened; someone who is no
delegate is refused in words; once a delegate took it, only the chair is offered closing the plenary."""

import html
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from ayllu.core.ledger.record import sign_act
from ayllu.messages import message_for
from ayllu.queries.assembly import forget_assembly_states
from ayllu.queries.federations import get_record_names
from ayllu.queries.plenary_chair import PlenaryChairRead, get_plenary_chair
from ayllu.storage import clock, models
from factories.api import act_request
from factories.keys import keypair, pub
from factories.plenary_chair import OpenedPlenary, opened_plenary
from factories.records import act_body
from factories.scenes import Clock
from factories.stored import log_in_as

CHAIRED = 'data-type="federation.plenary_chaired"'
CLOSED = 'data-type="meeting.closed"'


@pytest.fixture
def scene(db: None, monkeypatch: pytest.MonkeyPatch) -> OpenedPlenary:
    fake = Clock()
    monkeypatch.setattr("ayllu.storage.clock.now_ms", fake)
    forget_assembly_states()
    return opened_plenary(fake)


def _page(client: Client, scene: OpenedPlenary, lang: str) -> str:
    with translation.override(lang):
        url = reverse("web:meeting", kwargs={"log": scene.log, "meeting_id": scene.meeting})
    page = client.get(url, headers={"accept-language": lang})
    assert page.status_code == 200
    return html.unescape(page.content.decode())


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        (
            "es",
            ("La presidencia de la plenaria", "Tomar la presidencia", "Nadie preside la plenaria todavía"),
        ),
        ("en", ("The plenary's chair", "Take the chair", "Nobody chairs the plenary yet")),
    ],
)
def test_each_delegate_present_is_offered_the_chair_of_the_opened_plenary(
    client: Client, scene: OpenedPlenary, lang: str, words: tuple[str, ...]
) -> None:
    # an outsider reads the chair's state, with no form signed with a member assembly's key
    outsider = _page(Client(), scene, lang)
    assert words[0] in outsider and words[2] in outsider and outsider.count(CHAIRED) == 0
    # the first delegate, logged in at home, is offered the chair, signed with that home's key
    log_in_as(client, scene.homes[0].log, keypair(scene.delegates[0]))
    text = _page(client, scene, lang)
    for expected in words:
        assert expected in text
    assert text.count(CHAIRED) == 1
    assert 'data-key-log="' + scene.homes[0].log + '"' in text
    assert 'data-key-log="' + scene.homes[1].log + '"' not in text


def test_the_chair_is_refused_in_words_to_a_non_delegate_and_taken_on_its_route(
    client: Client, scene: OpenedPlenary
) -> None:
    # when someone who holds no seat asks for the chair
    url, body = act_request(scene.log, "lola", "chair-plenary", meeting=scene.meeting)
    refused = client.post(url, body, content_type="application/json", headers={"accept-language": "es"})
    # then it is refused, in Spanish
    assert refused.status_code == 409 and refused.json()["code"] == "not_a_seated_delegate"
    with translation.override("es"):
        assert refused.json()["message"] == message_for("not_a_seated_delegate", {})
    # when the first delegate present takes it on its route, the second is refused in words
    url, body = act_request(scene.log, scene.delegates[0], "chair-plenary", meeting=scene.meeting)
    taken = client.post(url, body, content_type="application/json")
    assert (taken.status_code, url) == (
        201,
        f"/api/assemblies/{scene.log}/federation/plenaries/{scene.meeting}/chair",
    ), taken.json()
    url, body = act_request(scene.log, scene.delegates[1], "chair-plenary", meeting=scene.meeting)
    again = client.post(url, body, content_type="application/json", headers={"accept-language": "es"})
    assert again.status_code == 409 and again.json()["code"] == "plenary_already_chaired"
    assert again.json()["message"].startswith("Ya preside esta plenaria un delegado presente")
    # and the page offers no chair any more, and closing only to the chair, logged in at home
    chair = Client()
    log_in_as(chair, scene.homes[0].log, keypair(scene.delegates[0]))
    text = _page(chair, scene, "es")
    assert text.count(CHAIRED) == 0
    assert "Cerrar la plenaria" in text
    (form,) = [tag for tag in text.split("<form")[1:] if CLOSED in tag.split(">")[0]]
    assert f'data-key-log="{scene.homes[0].log}"' in form.split(">")[0]


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("es", ("Qué delegado acreditado lo ocupa", "Qué cargo (su nombre)")),
        ("en", ("Which seated delegate holds it", "Which cargo (its name)")),
    ],
)
def test_a_federations_cargo_assignment_form_offers_its_seated_delegates_by_their_assembly(
    client: Client, scene: OpenedPlenary, lang: str, words: tuple[str, ...]
) -> None:
    # given alto's delegate logged in at home
    log_in_as(client, scene.homes[0].log, keypair(scene.delegates[0]))
    with translation.override(lang):
        url = reverse("web:new_matter_proposal", kwargs={"log": scene.log, "matter": "cargo_assignment"})
    page = client.get(url, headers={"accept-language": lang}, follow=True)
    text = html.unescape(page.content.decode())
    assert page.status_code == 200
    # the form is theirs to sign with the key kept for their home
    assert f'data-key-log="{scene.homes[0].log}" data-type="proposal.tabled"' in text
    for expected in words:
        assert expected in text
    select = text.split('name="effect.member"')[1].split("</select>")[0]
    assert [pub(d) in select for d in scene.delegates] == [True, True]
    assert pub("ana") not in select  # a founder holds no seat
    home = models.Record.objects.get(log=scene.homes[0].log).name
    assert home and home in select


def _forms(text: str, type_: str) -> list[str]:
    """The opening tags of the page's forms that sign an act of `type_`."""
    return [f.split(">")[0] for f in text.split("<form")[1:] if f'data-type="{type_}"' in f.split(">")[0]]


def _post_from_home(
    client: Client, log: str, delegate: str, type_: str, content: dict[str, object]
) -> object:
    """Post `type_` to the page's act route as the form does: signed with the delegate's (home) key."""
    body = act_body(type_, content, vis="public")
    signed = sign_act(keypair(delegate), log=log, type=type_, body=body, nonce=type_.replace(".", "-"))
    payload = {"act": signed.act.as_json(), "body": body.raw.decode(), "asig": signed.asig}
    if body.words is not None:
        payload["words"] = body.words.raw.decode()
    with translation.override("es"):
        url = reverse("web:submit_act", kwargs={"log": log})
    return client.post(url, payload, content_type="application/json", headers={"accept-language": "es"})


def test_delegates_logged_in_at_home_run_the_plenarys_floor_from_its_page(
    client: Client, scene: OpenedPlenary
) -> None:
    # given alto's delegate in the chair
    url, body = act_request(scene.log, scene.delegates[0], "chair-plenary", meeting=scene.meeting)
    assert client.post(url, body, content_type="application/json").status_code == 201
    # when bajo's delegate, present, opens the meeting's page logged in at home
    log_in_as(client, scene.homes[1].log, keypair(scene.delegates[1]))
    text = _page(client, scene, "es")
    # then they are offered the speakers' queue, signed with the key kept for their home
    (queue,) = _forms(text, "speaker.queued")
    assert f'data-key-log="{scene.homes[1].log}"' in queue
    # and the queue's form is one the core takes from them through the page's act route
    queued = _post_from_home(
        client, scene.log, scene.delegates[1], "speaker.queued", {"meeting": scene.meeting}
    )
    assert getattr(queued, "status_code", 0) == 200, getattr(queued, "content", b"")
    # when the chair opens it, logged in at their home
    client = Client()
    log_in_as(client, scene.homes[0].log, keypair(scene.delegates[0]))
    text = _page(client, scene, "es")
    # then they are offered the floor (calling the speaker queued) and the agenda, and closing once only
    for type_ in ("speaker.called", "agenda.item_added"):
        assert _forms(text, type_), type_
        assert all(f'data-key-log="{scene.homes[0].log}"' in f for f in _forms(text, type_))
    assert len(_forms(text, "meeting.closed")) == 1
    # while an outsider is offered none of it
    client = Client()
    text = _page(client, scene, "es")
    assert not any(_forms(text, t) for t in ("speaker.queued", "speaker.called", "agenda.item_added"))


def _header(page: str) -> str:
    return page.split("<h1", 1)[1].split('<p class="card__meta">', 1)[1].split("</p>", 1)[0]


def test_the_header_names_no_chair_until_a_delegate_takes_it(client: Client, scene: OpenedPlenary) -> None:
    # given the opened plenary nobody chairs yet
    chair = get_plenary_chair(scene.log, scene.meeting, now=clock.now_ms())
    assert isinstance(chair, PlenaryChairRead) and chair.chair == ""
    names = get_record_names(h.log for h in scene.homes[:2])
    assert len(names) == 2 and sorted(f.name for f in chair.forms) == sorted(names.values())
    # when it is read in Spanish, then its header says so, with no empty "preside ·"
    header = _header(_page(client, scene, "es"))
    assert "sin presidencia todavía" in header and not re.search(r"\bpreside\b", header)
    # when the first delegate takes the chair, then the header names them
    url, body = act_request(scene.log, scene.delegates[0], "chair-plenary", meeting=scene.meeting)
    assert client.post(url, body, content_type="application/json").status_code == 201
    header = _header(_page(client, scene, "es"))
    assert re.search(r"· preside\b", header) and "sin presidencia" not in header
