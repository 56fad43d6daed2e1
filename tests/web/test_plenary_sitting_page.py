"""A plenary's sitting on its meeting's page (decisions 0028, 0030): a seated delegate logged in at home is
offered signing their assembly present (the act the plenary's quorum counts) and, once the wait is over
without quorum, recording the postponement; an outsider and a member of an assembly with no seat are
offered neither; the body each form submits is one the core takes from the delegate's key through the
page's act route."""

import html
import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from ayllu.core.assembly.acts import ACT_KINDS
from ayllu.core.assembly.allowed import refusal
from ayllu.core.charter.rules import DAY_MS
from ayllu.core.ledger.record import sign_act
from ayllu.queries.assembly import forget_assembly_states
from ayllu.queries.replayed import read_state
from factories.keys import keypair, pub
from factories.plenary_chair import OpenedPlenary, convened_plenary
from factories.records import act_body
from factories.scenes import Clock
from factories.stored import log_in_as

from .test_form_walk import act_forms, body_of

PRESENT = "federation.plenary_present"
OPENED = "federation.plenary_opened"


@pytest.fixture
def clock(db: None, monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr("ayllu.storage.clock.now_ms", fake)
    forget_assembly_states()
    return fake


def _page(client: Client, scene: OpenedPlenary, lang: str) -> str:
    with translation.override(lang):
        url = reverse("web:meeting", kwargs={"log": scene.log, "meeting_id": scene.meeting})
    page = client.get(url, headers={"accept-language": lang})
    assert page.status_code == 200
    return html.unescape(page.content.decode())


def _forms(text: str, type_: str) -> list[str]:
    """The forms of the page (opening tag and content) that sign an act of `type_`."""
    return [
        f.split("</form>")[0] for f in text.split("<form")[1:] if f'data-type="{type_}"' in f.split(">")[0]
    ]


def _body(form: str) -> dict[str, object]:
    """The whole body a form with a `data-ayllu-body` submits."""
    found: dict[str, object] = json.loads(form.split('data-ayllu-body value="')[1].split('">')[0])
    return found


def _at_home(scene: OpenedPlenary, home: int, key: str) -> Client:
    client = Client()
    log_in_as(client, scene.homes[home].log, keypair(key))
    return client


def _post_from_home(scene: OpenedPlenary, delegate: str, type_: str, content: dict[str, object]) -> int:
    """Post `type_` to the page's act route as its form does: signed with the delegate's (home) key."""
    body = act_body(type_, content, vis="public")
    signed = sign_act(keypair(delegate), log=scene.log, type=type_, body=body, nonce=type_.replace(".", "-"))
    payload = {"act": signed.act.as_json(), "body": body.raw.decode(), "asig": signed.asig}
    if body.words is not None:
        payload["words"] = body.words.raw.decode()
    with translation.override("es"):
        url = reverse("web:submit_act", kwargs={"log": scene.log})
    response = Client().post(url, payload, content_type="application/json", headers={"accept-language": "es"})
    assert response.status_code == 200, response.content
    return response.status_code


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("es", ("Registrar presente a nuestra asamblea", "El quórum de la plenaria cuenta")),
        ("en", ("Sign our assembly present", "The plenary's quorum counts")),
    ],
)
def test_a_seated_delegate_signs_their_assembly_present_from_the_plenarys_page(
    clock: Clock, lang: str, words: tuple[str, ...]
) -> None:
    # given a plenary whose sitting started, nobody present yet
    scene = convened_plenary(clock)
    # when an outsider, and a member of the assembly that seated nobody (logged in at home), read its page
    outsider = _page(Client(), scene, lang)
    unseated = _page(_at_home(scene, 2, "gina"), scene, lang)
    # then neither is offered the presence
    assert not _forms(outsider, PRESENT) and not _forms(unseated, PRESENT)
    # when alto's delegate reads it, logged in at home
    text = _page(_at_home(scene, 0, scene.delegates[0]), scene, lang)
    # then they are offered their own assembly's presence, signed with the key kept for their home
    (form,) = _forms(text, PRESENT)
    # and not a person's ordinary presence, which the plenary's quorum does not count
    assert not _forms(text, "presence.signed")
    assert f'data-key-log="{scene.homes[0].log}"' in form
    for expected in words:
        assert expected in text
    # and the body it submits is taken by the core from their key: their assembly is present
    body = _body(form)
    assert body["meeting"] == scene.meeting
    _post_from_home(scene, scene.delegates[0], PRESENT, body)
    sitting = read_state(scene.log, lambda s: dict(s.offices.sittings[scene.meeting].present))
    assert sitting == {pub(scene.delegates[0]): scene.homes[0].log}
    # and the page offers it no more
    assert not _forms(_page(_at_home(scene, 0, scene.delegates[0]), scene, lang), PRESENT)


@pytest.mark.parametrize(("lang", "button"), [("es", "Postergar por falta de quórum"), ("en", "Postpone")])
def test_after_the_wait_without_quorum_a_delegate_records_the_postponement_from_the_page(
    clock: Clock, lang: str, button: str
) -> None:
    # given a plenary whose sitting started, nobody present, and the wait over (quorum 1/2 of 3: 2)
    scene = convened_plenary(clock)
    # before the wait is over, nobody is offered the postponement
    assert not _forms(_page(_at_home(scene, 1, scene.delegates[1]), scene, lang), OPENED)
    clock.now += 10 * DAY_MS
    # when an outsider and bajo's delegate read its page
    outsider = _page(Client(), scene, lang)
    text = _page(_at_home(scene, 1, scene.delegates[1]), scene, lang)
    # then only the delegate is offered it, signed with the key kept for their home
    assert not _forms(outsider, OPENED)
    (form,) = _forms(text, OPENED)
    assert f'data-key-log="{scene.homes[1].log}"' in form and button in form
    # and the body it submits is taken by the core: the sitting moves by the charter's days
    _post_from_home(scene, scene.delegates[1], OPENED, _body(form))
    sittings = read_state(scene.log, lambda s: s.offices.sittings[scene.meeting].sitting)
    assert sittings == 2


def test_a_delegate_is_offered_the_federations_meeting_petition_and_notice_on_its_meetings_page(
    clock: Clock,
) -> None:
    # given a federation whose delegates the core takes a meeting petition and a notice from
    scene = convened_plenary(clock)
    with translation.override("en"):
        url = reverse("web:meetings", kwargs={"log": scene.log})
    # when an outsider, and bajo's delegate logged in at home, read its meetings page
    outsider = Client().get(url).content.decode()
    response = _at_home(scene, 1, scene.delegates[1]).get(url)
    assert response.status_code == 200
    text = html.unescape(response.content.decode())
    # then the outsider is offered nothing, the delegate both, signed with the key kept for their home
    assert act_forms(outsider) == []
    forms = act_forms(text)
    assert {f["type"] for f in forms} == {"meeting.petitioned", "notice.posted"}
    assert all(f'data-key-log="{scene.homes[1].log}"' in tag for tag in _tags(text))
    # and the core takes the body of each from the delegate's key
    key = pub(scene.delegates[1])
    acts = [ACT_KINDS[form["type"]].parse(body_of(form)) for form in forms]
    codes = read_state(scene.log, lambda s: [refusal(s, key=key, act=a, time=clock.now) for a in acts])
    assert codes == [None, None]


def _tags(text: str) -> list[str]:
    """The opening tags of the page's act forms."""
    return [f.split(">")[0] for f in text.split("<form")[1:] if "data-type=" in f.split(">")[0]]
