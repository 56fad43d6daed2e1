"""A federation's charter editor: its own rules (offices by turn, petitions, plenaries) amended from the
browser like any other setting; checked before anything is written, the core's refusal in words; and an
assembly's editor, which has none of them."""

import html as html_lib
import json
import re
from dataclasses import dataclass

import pytest
from django.test import Client

from ayllu.actions.record import forget_replayed_state
from ayllu.actions.replication import do_extend_replica
from ayllu.core.ledger.record import Body, BodyKey
from ayllu.core.ledger.verify import Erased
from ayllu.queries.replayed import read_state
from ayllu.storage import models
from factories.assemblies import Assembly
from factories.federations import (
    federation_charter,
    federation_decides,
    found_federation,
    found_home,
    seated_delegate,
)
from factories.federations_stored import VISIBLE, hold
from factories.keys import keypair
from factories.scenes import Clock
from factories.stored import StoredAssembly, found, log_in_as

from .test_assembly_pages import url
from .test_translations import visible_text


def _fields(page: str) -> dict[str, str]:
    """Every field of the editor as the page filled it (as a browser submits it unchanged)."""
    form = page[page.index('class="panel charter-editor"') :]
    form = form[: form.index("</form>")]
    values = {
        name: html_lib.unescape(v)
        for name, v in re.findall(r'<input [^>]*name="([^"]+)" value="([^"]*)"', form)
    }
    for select, body in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', form, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected>', body)
        values[select] = chosen[1] if chosen else re.findall(r'<option value="([^"]*)"', body)[0]
    return values


@dataclass
class Scene:
    fed: Assembly
    homes: list[Assembly]
    delegate: str
    clock: Clock


def _scene(monkeypatch: pytest.MonkeyPatch, **rules: object) -> Scene:
    forget_replayed_state()
    homes = [found_home(["ana", "bea", "carla"]), found_home(["dora", "eva", "flor"])]
    fed = found_federation({"ana": homes[0], "dora": homes[1]}, charter=federation_charter(**rules))
    delegates = [seated_delegate(fed, home)[0] for home in homes]
    clock = Clock()
    clock.now = fed.clock + 1000
    monkeypatch.setattr("ayllu.storage.clock.now_ms", clock)
    hold(homes[0])
    hold(fed)
    return Scene(fed, homes, delegates[0], clock)


@pytest.fixture
def federation(db: None, monkeypatch: pytest.MonkeyPatch) -> Scene:
    """Two homes whose delegates sit in a federation (held on this node); ana's delegate logged in."""
    return _scene(monkeypatch)


def _editor(client: Client, log: str, language: str, **changes: str) -> str:
    address = url(language, log, "proposals", "new", "charter_amendment")
    page = client.get(address).content.decode()
    if not changes:
        return page
    fields = _fields(page) | changes
    response = client.get(address, fields)
    return str(response.content.decode())


def test_a_federation_amends_its_offices_and_plenary_rules_from_the_editor(
    client: Client, federation: Scene
) -> None:
    # given: the editor of a federation, read by a seated delegate
    fed = federation.fed
    log_in_as(client, federation.homes[0].log, keypair(federation.delegate))
    editor = _editor(client, fed.log, "es")
    assert "data-ayllu-federation-rules" in editor
    assert "Cargos por turno" in visible_text(editor, language="es")
    # when: a convenor by turn for 30 days and a plenary quorum of half, second call a third
    changes = {
        "federation.offices.0.office": "convenor",
        "federation.offices.0.term_days": "30",
        "federation.offices.0.burden": "2",
        "federation.plenary.quorum": "1/2",
        "federation.plenary.second_quorum": "1/3",
        "federation.plenary.postpone_days": "7",
    }
    page = _editor(client, fed.log, "es", preview="1", **changes)
    # then: the preview says what changes, and the amendment carries the new block
    changed = visible_text(page[page.index("data-ayllu-federation-changes") :], language="es")
    assert "Cargo «convenor»" in changed and "30 días cada turno" in changed
    raw = re.search(r'name="body.effect" value="([^"]+)"', page)
    assert raw, "the form that tables the amendment is offered"
    # signed with the key this device keeps for the delegate's home assembly, as on the federation's page
    assert f'data-key-log="{federation.homes[0].log}"' in page
    effect = json.loads(html_lib.unescape(raw[1]))
    block = effect["charter"]["federation"]
    assert block["offices"] == [{"office": "convenor", "term_days": 30, "burden": 2}]
    assert block["plenary"] == {"quorum": "1/2", "second_quorum": "1/3", "postpone_days": 7}
    assert "petition_days" not in block and "recall_grace_hours" not in block  # defaults left unnamed
    # and once the federation decides it, its state holds the office and the plenary's rules
    held = len(fed.entries)
    federation_decides(fed, federation.homes, "charter_amendment", effect)
    federation.clock.now = fed.clock + 1000
    new = fed.entries[held:]
    bodies: dict[BodyKey, Body | Erased] = {b.key: b for b in fed.bodies.values()}
    do_extend_replica(fed.log, raws=[e.raw for e in new], bodies=bodies, visible=VISIBLE)
    forget_replayed_state()
    rules = read_state(fed.log, lambda s: s.rules.federation)
    assert rules is not None
    assert [o.office for o in rules.offices] == ["convenor"]
    assert rules.plenary.quorum == 1 / 2 and rules.plenary.postpone_ms == 7 * 24 * 3600 * 1000


@pytest.mark.parametrize(
    ("language", "changes", "words"),
    [
        ("es", {"federation.offices.0.office": "Coordinación general"}, "Cargo 1: un nombre corto"),
        (
            "en",
            {"federation.offices.0.office": "convenor", "federation.offices.0.term_days": "0"},
            "Office 1, days of each turn: a whole number from 1 to 3650.",
        ),
        ("es", {"federation.delegates": "99"}, "Delegados por asamblea"),
    ],
)
def test_bad_federation_rules_are_refused_in_words_and_nothing_is_written(
    client: Client, federation: Scene, language: str, changes: dict[str, str], words: str
) -> None:
    fed = federation.fed
    log_in_as(client, federation.homes[0].log, keypair(federation.delegate))
    before = models.Entry.objects.filter(record__log=fed.log).count()
    page = _editor(client, fed.log, language, preview="1", **changes)
    problem = visible_text(page[page.index("data-ayllu-problem") :], language=language)
    assert words in problem
    assert 'name="body.effect"' not in page
    assert models.Entry.objects.filter(record__log=fed.log).count() == before


def test_the_cores_own_refusal_of_a_federation_block_is_shown_translated(
    client: Client, federation: Scene
) -> None:
    fed = federation.fed
    log_in_as(client, federation.homes[0].log, keypair(federation.delegate))
    # a longest notice shorter than the least: the editor leaves this check to the core's
    changes = {"federation.plenary.min_notice_days": "10", "federation.plenary.max_notice_days": "5"}
    page = _editor(client, fed.log, "es", preview="1", **changes)
    problem = visible_text(page[page.index("data-ayllu-problem") :], language="es")
    # the core's sentence, naming the setting it refused in the editor's words
    assert "El estatuto no es válido" in problem
    assert "Revise esta regla: Días de aviso, como máximo, de una plenaria convocada por petición" in problem
    assert 'name="body.effect"' not in page


def test_an_assemblys_charter_editor_has_no_federation_section(client: Client, db: None) -> None:
    forget_replayed_state()
    assembly: StoredAssembly = found()
    page = _editor(client, assembly.log, "es")
    assert "data-ayllu-federation-rules" not in page
    assert 'name="federation.' not in page


def test_a_share_the_found_page_does_not_offer_stays_when_something_else_changes(
    client: Client, db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a federation whose resolutions need three fifths of the assemblies
    scene = _scene(monkeypatch, ratification={"rule": "assemblies", "share": "3/5"})
    log_in_as(client, scene.homes[0].log, keypair(scene.delegate))
    # when only the delegates per assembly change
    page = _editor(client, scene.fed.log, "en", preview="1", **{"federation.delegates": "3"})
    # then the share is kept
    raw = re.search(r'name="body.effect" value="([^"]+)"', page)
    assert raw
    block = json.loads(html_lib.unescape(raw[1]))["charter"]["federation"]
    assert block["ratification"] == {"rule": "assemblies", "share": "3/5"}
    assert block["delegates_per_assembly"] == 3
