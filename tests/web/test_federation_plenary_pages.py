"""A federation's plenaries and recall votes on its home page, with the forms a delegate whose home record
this node holds may sign (presence, the assembly's voice) and anyone's (opening, closing), in Spanish and
English; and the petition's expiry."""

import html
import json
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from ayllu.actions.record import forget_replayed_state
from ayllu.core.charter.rules import DAY_MS
from ayllu.queries.assembly import get_meeting
from factories.assemblies import T0, Assembly
from factories.federations import (
    accredit,
    back_petition,
    found_home,
    give_federation_cargo,
    office_charter,
    petition_content,
    seat_content,
)
from factories.federations_stored import found_stored_federation, hold, stored_act, stored_seat
from factories.keys import keypair
from factories.scenes import Clock
from factories.stored import log_in_as

CITED = "federation.petition_cited"


@dataclass
class PlenaryScene:
    homes: list[Assembly]
    log: str
    delegates: list[str]
    meeting: int
    starts: int


def _url(lang: str, log: str) -> str:
    with translation.override(lang):
        return reverse("web:federation_home", kwargs={"log": log})


def _scene(clock: Clock) -> PlenaryScene:
    """Three homes held here; two seat a delegate; a petition of two convenes a plenary in 10 days."""
    clock.now = max(clock.now, T0)
    homes = [found_home(["ana", "bea", "carla"]), found_home(["dora", "eva", "flor"])]
    homes.append(found_home(["gina", "hilda", "ines"]))
    charter = office_charter(petition_assemblies=2, petition_days=20, plenary={"quorum": "2/3"})
    fed = found_stored_federation({"ana": homes[0], "dora": homes[1], "gina": homes[2]}, charter=charter)
    for home in homes:  # the homes decide now, by this node's clock (a backing counts for 20 days)
        home.clock = max(home.clock, clock.now)
    delegates, credentials = [], []
    for home in homes[:2]:
        delegate = give_federation_cargo(home, fed)
        delegates.append(delegate)
        credentials.append(accredit(home, delegate, fed, days=80))
    starts = clock.now + 30 * DAY_MS
    backings = [back_petition(home, fed, "convene", starts=starts) for home in homes]
    clock.now = max(clock.now, *(h.clock + 1000 for h in homes))
    for home in homes:
        hold(home, checkpoint=True)
    for home, delegate, credential in zip(homes, delegates, credentials, strict=False):
        stored_seat(fed, delegate, seat_content(home, credential))
    stored_act(fed, "lola", CITED, petition_content(homes[0], backings[0]))
    return PlenaryScene(homes, fed, delegates, 0, starts)


@pytest.fixture
def scene(db: None, monkeypatch: pytest.MonkeyPatch) -> PlenaryScene:
    forget_replayed_state()
    fake = Clock()
    monkeypatch.setattr("ayllu.storage.clock.now_ms", fake)
    built = _scene(fake)
    built.clock = fake  # type: ignore[attr-defined]
    return built


def test_an_open_petition_says_when_its_oldest_backing_expires(client: Client, scene: PlenaryScene) -> None:
    # when
    page = client.get(_url("es", scene.log), headers={"accept-language": "es"})
    # then
    text = page.content.decode()
    assert page.status_code == 200
    assert "El respaldo más antiguo que aún cuenta vence el" in text


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("es", ("Plenarias", "Registrar presente a nuestra asamblea", "quórum: 2 asambleas")),
        ("en", ("Plenaries", "Sign our assembly present", "quorum: 2 assemblies")),
    ],
)
def test_the_convened_plenary_is_on_the_federation_page_with_the_delegates_presence_forms(
    client: Client, scene: PlenaryScene, lang: str, words: tuple[str, ...]
) -> None:
    # given the second assembly's decision cited: the plenary is convened as a meeting
    backing = scene.homes[1].entries[-1]
    meeting = stored_act(scene.log, "lola", CITED, petition_content(scene.homes[1], backing))
    # when the plenary's day comes and the page is read by an outsider, and by the first delegate
    # logged in at home
    scene.clock.now = scene.starts + 1000  # type: ignore[attr-defined]
    outsider = html.unescape(
        Client().get(_url(lang, scene.log), headers={"accept-language": lang}).content.decode()
    )
    log_in_as(client, scene.homes[0].log, keypair(scene.delegates[0]))
    page = client.get(_url(lang, scene.log), headers={"accept-language": lang})
    # then the plenary is listed for both; only the delegate may sign their own assembly in
    raw = page.content.decode()
    text = html.unescape(raw)
    assert page.status_code == 200, text
    for expected in words:
        assert expected in text
    assert words[0] in outsider and f'id="plenary-{meeting}"' in outsider
    assert 'data-type="federation.plenary_present"' not in outsider
    assert f'id="plenary-{meeting}"' in text
    assert text.count('data-type="federation.plenary_present"') == 1
    present = text.split('data-type="federation.plenary_present"')[0].rsplit("<form", 1)[1]
    assert f'data-key-log="{scene.homes[0].log}"' in present
    body = raw.split('data-type="federation.plenary_present"')[1].split('value="')[1].split('"')[0]
    assert json.loads(html.unescape(body))["meeting"] == meeting
    # and the meeting is on the federation's meetings page like any other
    with translation.override(lang):
        meetings = client.get(reverse("web:meeting", kwargs={"log": scene.log, "meeting_id": meeting}))
    assert meetings.status_code == 200


@pytest.mark.parametrize(
    ("lang", "title"), [("es", "Plenaria de la federación"), ("en", "Federation plenary")]
)
def test_a_plenary_is_titled_in_the_readers_language_wherever_its_meeting_is_named(
    client: Client, scene: PlenaryScene, lang: str, title: str
) -> None:
    # given the plenary convened (the record stores its title as the code "plenary")
    meeting = stored_act(
        scene.log, "lola", CITED, petition_content(scene.homes[1], scene.homes[1].entries[-1])
    )
    # then its read model says it is the federation's plenary
    assert get_meeting(scene.log, meeting).plenary is True
    # when the meetings page and the meeting's page are read
    with translation.override(lang):
        meetings = client.get(
            reverse("web:meetings", kwargs={"log": scene.log}), headers={"accept-language": lang}
        )
        one = client.get(reverse("web:meeting", kwargs={"log": scene.log, "meeting_id": meeting}))
    # then both call it by its words in the reader's language, never by the stored code
    for page in (meetings, one):
        text = html.unescape(page.content.decode())
        assert page.status_code == 200
        assert title in text
        assert ">plenary<" not in text and "<title>plenary" not in text
    assert f'<h1 dir="auto">{title}</h1>' in html.unescape(one.content.decode())
