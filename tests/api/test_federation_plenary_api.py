"""A plenary convened through the API by member assemblies' decisions, opened on its route by anyone's
key, refused in words when opened twice; its sitting in `GET …/federation/offices`."""

import pytest
from django.test import Client

from ayllu.storage import models
from factories.api import act_request
from factories.federations import petition_content
from factories.federations_stored import OfficeScene, office_scene
from factories.scenes import Clock


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr("ayllu.storage.clock.now_ms", fake)
    return fake


@pytest.fixture
def scene(db: None, clock: Clock) -> OfficeScene:
    return office_scene(clock)


def _post(api: Client, url: str, body: dict[str, object], lang: str = "es") -> tuple[int, dict[str, object]]:
    answer = api.post(url, body, content_type="application/json", headers={"accept-language": lang})
    return answer.status_code, answer.json()


def test_a_convened_plenary_opens_on_its_route_and_is_read_with_the_offices(
    api: Client, scene: OfficeScene, clock: Clock
) -> None:
    # given two homes' decisions cited: the plenary is a meeting of the federation
    for home, backing in list(zip(scene.homes, scene.backings, strict=True))[:2]:
        url, body = act_request(scene.log, "lola", "cite-petition", **petition_content(home, backing))
        assert _post(api, url, body)[0] == 201
    meeting = models.Entry.objects.filter(record__log=scene.log).order_by("-seq").first().seq  # type: ignore[union-attr]
    # when anyone opens it before it starts, then at its start (the charter asks no quorum)
    url, body = act_request(scene.log, "lola", "open-plenary", meeting=meeting)
    early_status, early = _post(api, url, body, "en")
    clock.now = scene.plenary + 1000
    url, body = act_request(scene.log, "lola", "open-plenary", meeting=meeting)
    status, answer = _post(api, url, body)
    url, body = act_request(scene.log, "karen", "open-plenary", meeting=meeting)
    again_status, again = _post(api, url, body)
    # then it opened once, on its route, and the second opening is refused in words
    assert early_status >= 400 and early["code"] == "meeting_not_started"
    assert (status, url) == (201, f"/api/assemblies/{scene.log}/federation/plenaries/{meeting}/opening"), (
        answer
    )
    assert again_status >= 400 and again["code"] == "plenary_already_open"
    assert again["message"] == "La plenaria ya está instalada."
    sittings = api.get(f"/api/assemblies/{scene.log}/federation/offices").json()["sittings"]
    assert [(s["meeting"], s["starts"], s["needs"]) for s in sittings] == [(meeting, scene.plenary, 0)]
    assert sittings[0]["opened_seq"] > meeting
