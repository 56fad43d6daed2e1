"""The text policy at every write: NUL, other control characters and bidi overrides are refused with a
clear, translated error and nothing written; records from elsewhere whose name PostgreSQL cannot store
are refused alone (SQLite, and PostgreSQL with AYLLU_TEST_DB=postgres)."""

import json

import pytest
from django.test import Client

from ayllu.actions.record import do_import_record, forget_replayed_state
from ayllu.actions.replication import do_extend_replica, forget_tips
from ayllu.core.assembly.texts import TextNotAllowed
from ayllu.storage import models
from factories.api import ApiAssembly, founding_request
from factories.charters import instant_charter
from factories.keys import keypair
from factories.records import found_record
from factories.stored import found

PUBLIC = frozenset({"public"})
HOSTILE = {"nul": "Junta\x00Vecinal", "escape": "Junta\x1b[31m", "bidi": "Junta \u202evecinal"}


@pytest.fixture
def fresh(db: None) -> None:
    forget_tips()
    forget_replayed_state()


@pytest.mark.parametrize("name", HOSTILE.values(), ids=HOSTILE.keys())
def test_founding_through_the_api_refuses_a_name_with_a_forbidden_character(fresh: None, name: str) -> None:
    # given
    request = founding_request(["ana", "bea"], name=name, charter=instant_charter())
    # when
    answer = Client().post(
        "/api/assemblies", request, content_type="application/json", headers={"accept-language": "en"}
    )
    # then
    assert answer.status_code == 400, answer.content
    data = answer.json()
    assert (data["code"], data["detail"]["field"]) == ("text_not_allowed", "name")
    assert "name" in data["message"] and "U+" in data["message"]
    assert not models.Record.objects.exists()


@pytest.mark.parametrize("name", HOSTILE.values(), ids=HOSTILE.keys())
def test_a_founding_draft_refuses_a_name_with_a_forbidden_character(fresh: None, name: str) -> None:
    # when
    answer = Client().post("/es/fundar/", {"name": name, "households": "casa-ana\ncasa-bea"})
    # then
    assert answer.status_code == 400
    assert "carácter" in answer.content.decode()
    assert not models.FoundingDraft.objects.exists()


@pytest.mark.parametrize("text", ["hola\x00", "hola\x07", "\u2066hola\u2069"], ids=["nul", "bell", "isolate"])
def test_an_act_with_a_forbidden_character_is_refused_and_nothing_written(fresh: None, text: str) -> None:
    # given
    assembly = ApiAssembly.found(Client(), ["ana", "bea", "carla"])
    size = assembly.size()
    # when
    answer = assembly.act("ana", "notice", lang="es", text=text)
    # then
    assert (answer.status_code, answer.json()["code"]) == (400, "text_not_allowed")
    assert answer.json()["detail"]["field"] == "text"
    assert assembly.size() == size


def test_line_breaks_and_tabs_stay_allowed_in_texts(fresh: None) -> None:
    # given
    assembly = ApiAssembly.found(Client(), ["ana", "bea", "carla"])
    # when
    answer = assembly.act("ana", "notice", text="Primero:\n\tagua")
    # then
    assert answer.status_code == 201


def test_following_a_record_whose_name_holds_nul_refuses_it_alone(fresh: None) -> None:
    # given two records from elsewhere, the first named with a NUL
    hostile, plain = found_record(name="Junta\x00Vecinal"), found_record(name="Junta Vecinal")
    # when
    with pytest.raises(TextNotAllowed):
        do_extend_replica(hostile.log, raws=hostile.raws(), bodies=dict(hostile.bodies), visible=PUBLIC)
    tip = do_extend_replica(plain.log, raws=plain.raws(), bodies=dict(plain.bodies), visible=PUBLIC)
    # then nothing of the first was stored, and the second was
    assert tip.size == 1
    assert list(models.Record.objects.values_list("name", flat=True)) == ["Junta Vecinal"]
    assert models.Entry.objects.count() == 1


def test_importing_a_record_whose_name_holds_nul_refuses_it_with_nothing_stored(fresh: None) -> None:
    # given
    hostile = found_record(name="Junta\x00Vecinal")
    # when
    with pytest.raises(TextNotAllowed) as refused:
        do_import_record(
            hostile.log,
            entries=hostile.raws(),
            bodies=dict(hostile.bodies),
            checkpoints=[],
            visible=PUBLIC,
            workers=1,
        )
    # then
    assert json.dumps(refused.value.detail) == json.dumps(
        {"field": "name", "char": "U+0000", "reason": "control"}
    )
    assert not models.Record.objects.exists() and not models.Entry.objects.exists()


def test_the_home_page_marks_assemblies_whose_names_look_alike(fresh: None) -> None:
    # given three assemblies named alike (one with a Cyrillic a, U+0430) and one named otherwise
    found("Junta Vecinal Villa Esperanza", members=(keypair(1), keypair(2)))
    found("Junta Vecinal Villa Esperanza", members=(keypair(3), keypair(4)))
    found("Junta Vecin\u0430l Villa Esperanza", members=(keypair(5), keypair(6)))
    found("Otra Junta", members=(keypair(7), keypair(8)))
    # when
    html = Client().get("/en/").content.decode()
    # then the two later look-alikes are marked, naming the first; the others are not
    assert html.count('class="assembly-card__warning"') == 2
    assert "Looks like “Junta Vecinal Villa Esperanza”, listed above" in html
