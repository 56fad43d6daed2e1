"""The demo node's "try it" page hands one demo household's key to visitors: only on a demo node, only
for an assembly that key is a member of."""

from pathlib import Path

import pytest
from django.test import Client
from django.test.utils import override_settings

from ayllu.actions.record import forget_replayed_state
from ayllu.storage.keyfiles import create_key_file
from factories.keys import keypair
from factories.stored import found


@pytest.fixture
def demo_key_file(tmp_path: Path) -> Path:
    path = tmp_path / "demo-members" / "elena.key"
    path.parent.mkdir()
    create_key_file(path, seed=keypair("elena", family="demo").seed())
    return path


def test_a_demo_node_offers_its_visitor_key_in_the_assembly_it_belongs_to(
    client: Client, db: None, demo_key_file: Path
) -> None:
    # given a demo node whose visitor key is a member of one assembly and not of another
    forget_replayed_state()
    visitor = keypair("elena", family="demo")
    demo = found("Junta Vecinal Villa Esperanza", members=[keypair(1), visitor])
    other = found("Otra junta", members=2)
    with override_settings(AYLLU_DEMO_VISITOR_KEY_FILE=demo_key_file):
        # when a visitor opens the demo page and the assembly's pages of each
        offered = client.get(f"/es/asamblea/{demo.log}/probar/")
        elsewhere = client.get(f"/es/asamblea/{other.log}/probar/")
        home = client.get(f"/es/asamblea/{demo.log}/").content.decode()
        other_home = client.get(f"/es/asamblea/{other.log}/").content.decode()
    # then the demo assembly's page hands over the key, labelled as a demo, and nothing is cached
    assert offered.status_code == 200
    page = offered.content.decode()
    assert visitor.seed().hex() in page and "Solo para la demostración" in page
    assert offered["Cache-Control"] == "no-store"
    assert f"/es/asamblea/{demo.log}/probar/" in home
    # and the other assembly has no such page, nor a link to one
    assert elsewhere.status_code == 404
    assert "/probar/" not in other_home


def test_a_node_that_is_not_a_demo_has_no_demo_page(client: Client, db: None) -> None:
    # given a node with the default settings (no demo key) and an assembly
    forget_replayed_state()
    assembly = found("Junta Vecinal", members=2)
    # when a visitor asks for the demo page
    response = client.get(f"/en/assembly/{assembly.log}/try/")
    # then there is none, and no page links to it
    assert response.status_code == 404
    assert "/try/" not in client.get(f"/en/assembly/{assembly.log}/").content.decode()
