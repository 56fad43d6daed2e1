"""The cargos page gives a member a next step: propose a new cargo, or propose who holds one; a reader
who is not logged in is not offered forms they could not use."""

import pytest
from django.test import Client

from ayllu.actions.record import forget_replayed_state
from factories.stored import found, log_in_as

from .test_translations import visible_text

pytestmark = pytest.mark.django_db


def test_a_member_on_the_cargos_page_may_propose_a_cargo_or_a_holder() -> None:
    forget_replayed_state()
    assembly = found("Junta Vecinal Los Andes")
    address = f"/es/asamblea/{assembly.log}/cargos/"
    # a reader who is not logged in reads the cargos, without the links to propose
    outsider = visible_text(Client().get(address).content.decode(), language="es")
    assert "Proponer un nuevo cargo" not in outsider
    # a member gets both next steps, each to its own proposal form
    member = Client()
    log_in_as(member, assembly.log, assembly.members[1])
    html = member.get(address).content.decode()
    text = visible_text(html, language="es")
    assert "Proponer un nuevo cargo" in text
    assert f'href="/es/asamblea/{assembly.log}/propuestas/nueva/cargo-nuevo/"' in html
    assert f'href="/es/asamblea/{assembly.log}/propuestas/nueva/asignacion-de-cargo/"' in html
