"""Federations through the API: founding a federation on the founding route, a delegate's seat on the
seats route (an act of the catalogue), and refusals with their code and translated sentence, with nothing
written (docs/federation-bodies.md)."""

import json

import pytest
from django.test import Client

from ayllu.queries.federations import get_federation
from ayllu.storage import models
from factories.api import ApiAssembly, act_request
from factories.federations import federation_charter, ratified_content, ratify_at_home, seat_content
from factories.federations_stored import (
    hold,
    homes_held_and_credential,
    resolved_federation,
    seated_federation,
)
from factories.keys import keypair, pub
from factories.records import founding_act
from factories.scenes import Clock


@pytest.fixture
def node_clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr("ayllu.storage.clock.now_ms", fake)
    return fake


def _post(api: Client, url: str, body: dict[str, object], lang: str = "es") -> tuple[int, dict[str, object]]:
    answer = api.post(url, body, content_type="application/json", headers={"accept-language": lang})
    return answer.status_code, answer.json()


def test_a_federation_is_founded_on_the_founding_route_with_assemblies_as_members(
    api: Client, node_clock: Clock
) -> None:
    # given two home records held here
    alto, bajo, _, _, _ = homes_held_and_credential(node_clock)
    signed, body = founding_act(
        [(keypair("eva"), alto.log), (keypair("flor"), bajo.log)], name="Federación del distrito",
        charter=federation_charter(joining="closed"),
    )  # fmt: skip
    request = {**json.loads(body.raw), "author": signed.act.author, "nonce": "founding", "asig": signed.asig}
    # when
    status, answer = _post(api, "/api/assemblies", request)
    # then
    assert status == 201, answer
    federation = get_federation(str(answer["log"]), now=node_clock.now)
    assert federation is not None
    assert {a.assembly for a in federation.assemblies} == {alto.log, bajo.log}


def test_a_delegate_takes_a_seat_on_the_seats_route(api: Client, node_clock: Clock) -> None:
    # given
    alto, _, fed, delegate, credential = homes_held_and_credential(node_clock)
    content = seat_content(alto, credential)
    # when
    url, body = act_request(fed, delegate, "take-seat", **content)
    status, answer = _post(api, url, body)
    # then
    assert (status, url) == (201, f"/api/assemblies/{fed}/seats"), answer
    federation = api.get(f"/api/assemblies/{fed}/federation").json()
    members = {a["assembly"]: a for a in federation["assemblies"]}
    [seat] = members[alto.log]["seats"]
    assert seat["key"] == pub(delegate) and seat["stands"] and seat["credential_seq"] == credential.seq
    assert (members[alto.log]["name"], members[alto.log]["held"]) == ("Junta vecinal Villa Esperanza", True)
    assert members[alto.log]["founding"] and members[alto.log]["standing"] == 1


def test_an_assemblys_record_has_no_federation_to_read(api: Client, node_clock: Clock) -> None:
    # given
    alto, _, _, _, _ = homes_held_and_credential(node_clock)
    # when
    answer = api.get(f"/api/assemblies/{alto.log}/federation", headers={"accept-language": "en"})
    # then
    assert answer.status_code == 404 and answer.json()["code"] == "not_a_federation"


@pytest.mark.parametrize(
    ("lang", "sentence"),
    [
        ("es", "La credencial citada la firmó otro delegado: cite la suya."),
        ("en", "The cited credential was signed by another delegate: cite your own."),
    ],
)
def test_a_seat_signed_by_someone_else_is_refused_in_words_and_nothing_is_written(
    api: Client, node_clock: Clock, lang: str, sentence: str
) -> None:
    # given
    alto, _, fed, delegate, credential = homes_held_and_credential(node_clock)
    thief = next(n for n in ("ana", "bea", "carla") if n != delegate)
    # when
    url, body = act_request(fed, thief, "take-seat", **seat_content(alto, credential))
    status, answer = _post(api, url, body, lang)
    # then
    assert (status, answer["code"], answer["message"]) == (409, "not_your_credential", sentence)
    assert models.Entry.objects.filter(record__log=fed).count() == 1


def test_a_credential_without_the_federation_cargo_is_refused(assembly: ApiAssembly) -> None:
    # given a member of an assembly founded through the API, holding no cargo for the federation
    federation = "ab" * 32
    size = assembly.size()
    # when
    answer = assembly.act("bea", "accredit", lang="en", federation=federation, until=4_102_444_800_000)
    # then
    assert answer.status_code == 409 and answer.json()["code"] == "no_federation_cargo"
    assert "represents the assembly there" in answer.json()["message"]
    assert assembly.size() == size


def test_an_assemblys_ratification_is_cited_on_the_resolutions_route_and_counted(
    api: Client, node_clock: Clock
) -> None:
    # given a resolution needing half of three assemblies; alto and sur ratified by their own decisions
    scene = resolved_federation(node_clock)
    urls, statuses = [], []
    for home in (scene.alto, scene.sur):
        recorded = ratify_at_home(home, scene.log, scene.resolution)
        hold(home)
        # when anyone cites each into the federation
        content = ratified_content(home, recorded, scene.resolution)
        url, body = act_request(scene.log, "zoe", "cite-ratification", **content)
        status, _ = _post(api, url, body)
        urls.append(url)
        statuses.append(status)
    # then
    assert statuses == [201, 201]
    assert urls[0] == f"/api/assemblies/{scene.log}/resolutions/{scene.resolution}/ratifications"
    [resolution] = api.get(f"/api/assemblies/{scene.log}/federation").json()["resolutions"]
    assert (resolution["outcome"], resolution["yes"], resolution["no"], resolution["members"]) == (
        "ratified",
        2,
        0,
        3,
    )
    assert (resolution["share"], resolution["reached"], resolution["waiting"]) == (
        "1/2",
        "2/3",
        [scene.bajo.log],
    )
    assert {a["name"] for a in resolution["answers"]} == {"Junta vecinal Villa Esperanza"}


@pytest.mark.parametrize(
    ("lang", "sentence"),
    [
        ("es", "La respuesta de esta asamblea a la resolución ya está contada."),
        ("en", "This assembly's answer to the resolution is already counted."),
    ],
)
def test_a_ratification_cited_twice_is_refused_in_words_and_nothing_is_written(
    api: Client, node_clock: Clock, lang: str, sentence: str
) -> None:
    # given alto's answer counted
    scene = resolved_federation(node_clock)
    recorded = ratify_at_home(scene.alto, scene.log, scene.resolution)
    hold(scene.alto)
    content = ratified_content(scene.alto, recorded, scene.resolution)
    assert _post(api, *act_request(scene.log, "zoe", "cite-ratification", **content))[0] == 201
    size = models.Entry.objects.filter(record__log=scene.log).count()
    # when it is cited again
    status, answer = _post(api, *act_request(scene.log, "ana", "cite-ratification", **content), lang)
    # then
    assert (status, answer["code"], answer["message"]) == (409, "ratification_duplicate", sentence)
    assert models.Entry.objects.filter(record__log=scene.log).count() == size


def test_a_ratification_the_assembly_did_not_decide_is_refused_at_home(assembly: ApiAssembly) -> None:
    # given an assembly founded through the API, with no ratification decision
    size = assembly.size()
    # when a member records one anyway
    answer = assembly.act(
        "bea", "record-ratification", lang="en", federation="ab" * 32, resolution=4, proposal=1, answer="yes",
        households=3,
    )  # fmt: skip
    # then
    assert answer.status_code == 409 and answer.json()["code"] == "not_a_ratification_decision"
    assert assembly.size() == size


def test_a_member_assembly_tables_ratifying_a_resolution_on_its_route(assembly: ApiAssembly) -> None:
    # when a member of an assembly founded through the API proposes ratifying a federation's resolution
    answer = assembly.act(
        "bea", "propose-ratification", lang="en", title="Ratificar el paro", text="", federation="ab" * 32,
        resolution=4,
    )  # fmt: skip
    # then it is a proposal of matter ratification, decided by the assembly's own method
    assert answer.status_code == 201, answer.json()
    described = assembly.get(f"/proposals/{answer.json()['seq']}").json()
    assert (described["matter"], described["status"]) == ("ratification", "deliberation")


def test_an_assembly_cannot_table_a_resolution(assembly: ApiAssembly) -> None:
    answer = assembly.act(
        "bea", "propose-resolution", lang="en", title="Paro", text="", rule="assemblies", share="1/2",
        deadline=4_102_444_800_000,
    )  # fmt: skip
    assert answer.status_code == 404 and answer.json()["code"] == "not_a_federation"


def test_a_federation_refuses_a_cargo_by_turn_on_the_cargos_route_in_words(
    api: Client, node_clock: Clock
) -> None:
    # given a federation held here with alto's delegate seated
    scene = seated_federation(node_clock)
    size = models.Entry.objects.filter(record__log=scene.log).count()
    # when the delegate proposes a cargo filled by turn (decision 0033)
    url, body = act_request(
        scene.log, scene.delegate, "propose-cargo", title="Tesorería", text="", cargo="tesorero",
        powers=["keep_minutes"], burden=1, term_days=30, seats=1,
    )  # fmt: skip
    status, answer = _post(api, url, body)
    # then the core refuses it, in Spanish words, and nothing is written
    assert (status, answer["code"]) == (409, "no_turns_in_federation"), answer
    assert "turno entre sus asambleas miembro" in str(answer["message"])
    assert models.Entry.objects.filter(record__log=scene.log).count() == size
