"""A federation's offices and petitions through the API: the holder's credential cited on its route, a
petition completed by member assemblies' decisions cited by anyone, refusals with their code and
translated sentence and nothing written; and the same state on a replica that replays the record."""

import pytest
from django.test import Client

from ayllu.core.assembly.replay import apply_entry, initial_state
from ayllu.core.ledger.record import parse_entry
from ayllu.queries.federation_offices import get_federation_offices
from ayllu.storage import models, reads
from factories.api import ApiAssembly, act_request
from factories.federations import office_content, petition_content
from factories.federations_stored import OfficeScene, office_scene
from factories.keys import pub
from factories.scenes import Clock


@pytest.fixture
def scene(db: None, monkeypatch: pytest.MonkeyPatch) -> OfficeScene:
    fake = Clock()
    monkeypatch.setattr("ayllu.storage.clock.now_ms", fake)
    return office_scene(fake)


def _post(api: Client, url: str, body: dict[str, object], lang: str = "es") -> tuple[int, dict[str, object]]:
    answer = api.post(url, body, content_type="application/json", headers={"accept-language": lang})
    return answer.status_code, answer.json()


def _entries(log: str) -> int:
    return models.Entry.objects.filter(record__log=log).count()


def test_the_holders_credential_is_cited_on_its_route_and_the_office_is_held(
    api: Client, scene: OfficeScene
) -> None:
    # when a stranger's key cites the credential of the person the assembly whose turn it is named
    url, body = act_request(scene.log, "lola", "cite-office", **office_content(scene.turn, scene.credential))
    status, answer = _post(api, url, body)
    # then
    assert (status, url) == (201, f"/api/assemblies/{scene.log}/federation/offices/holders"), answer
    offices = api.get(f"/api/assemblies/{scene.log}/federation/offices").json()
    convenor = next(o for o in offices["offices"] if o["office"] == "convenor")
    assert convenor["current"]["assembly"] == scene.turn.log
    assert convenor["current"]["holder"] == pub(scene.holder)
    assert len(convenor["next"]) == 3 and all(t["assembly"] != scene.turn.log for t in convenor["next"][:1])
    persons = {p["key"]: p for p in offices["concentration"]["persons"]}
    assert persons[pub(scene.holder)]["here"] == 1


@pytest.mark.parametrize(
    ("lang", "sentence"),
    [
        ("es", "La credencial citada ya nombró a quien ocupa el cargo."),
        ("en", "The cited credential has already named an office holder."),
    ],
)
def test_a_credential_cited_twice_is_refused_with_its_words_and_nothing_is_written(
    api: Client, scene: OfficeScene, lang: str, sentence: str
) -> None:
    # given
    content = office_content(scene.turn, scene.credential)
    url, body = act_request(scene.log, "lola", "cite-office", **content)
    assert _post(api, url, body)[0] == 201
    size = _entries(scene.log)
    # when
    url, body = act_request(scene.log, "karen", "cite-office", **content)
    status, answer = _post(api, url, body, lang)
    # then
    assert answer["code"] == "credential_used" and status >= 400
    assert answer["message"] == sentence
    assert _entries(scene.log) == size


def test_two_member_assemblies_convene_a_plenary_and_a_replica_reaches_the_same_state(
    api: Client, scene: OfficeScene
) -> None:
    # when two homes' decisions are cited, each by a stranger's key
    for home, backing in list(zip(scene.homes, scene.backings, strict=True))[:2]:
        url, body = act_request(scene.log, "lola", "cite-petition", **petition_content(home, backing))
        status, answer = _post(api, url, body)
        assert (status, url) == (201, f"/api/assemblies/{scene.log}/federation/petitions"), answer
    # and the third comes after it took effect
    url, body = act_request(
        scene.log, "lola", "cite-petition", **petition_content(scene.homes[2], scene.backings[2])
    )
    status, answer = _post(api, url, body, "en")
    # then the plenary is convened, the late one refused in words
    assert answer["code"] == "petition_complete"
    assert answer["message"] == "This petition already has the assemblies it needs and has taken effect."
    offices = get_federation_offices(scene.log, now=scene.plenary - 1)
    assert offices is not None
    assert [p.starts for p in offices.plenaries] == [scene.plenary]
    # and a replica replaying the stored record from scratch reaches the same petitions
    record = reads.get_record(scene.log)
    entries = [parse_entry(raw) for raw in reads.entry_bytes(record)]
    bodies = reads.replay_bodies(record, entries)
    state = initial_state(scene.log)
    for entry in entries:
        state = apply_entry(state, entry, bodies[entry.seq])
    assert [p[2] for p in state.offices.plenaries] == [scene.plenary]
    assert sorted(state.offices.petitions[next(iter(state.offices.petitions))].backers) == sorted(
        h.log for h in scene.homes[:2]
    )


def test_a_home_states_neither_an_office_credential_nor_a_petition_backing_it_did_not_decide(
    assembly: ApiAssembly,
) -> None:
    # given a member of an assembly founded through the API, holding no office cargo, and no decision
    federation = "ab" * 32
    size = assembly.size()
    # when
    credential = assembly.act(
        "bea", "accredit-office", lang="es", federation=federation, office="convenor", until=4_102_444_800_000
    )
    backing = assembly.act(
        "bea", "back-petition", lang="en", federation=federation, action="withdraw", resolution=3
    )
    # then each is refused in the reader's language, and nothing is written
    assert credential.status_code == 409 and credential.json()["code"] == "no_office_cargo"
    assert "Una credencial para un cargo de la federación" in credential.json()["message"]
    assert backing.status_code == 409 and backing.json()["code"] == "no_petition_decision"
    assert "has not decided to back this petition" in backing.json()["message"]
    assert assembly.size() == size
