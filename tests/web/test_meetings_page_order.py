"""On the meetings page the convenor finds their own form to convene first, above the petition that
members without the cargo use."""

import pytest
from django.test import Client

from ayllu.actions.record import forget_replayed_state
from factories.stored import found_with_officers, log_in_as

pytestmark = pytest.mark.django_db


def test_the_convenor_reads_convene_a_meeting_before_the_petition() -> None:
    forget_replayed_state()
    assembly = found_with_officers("Junta Vecinal Los Andes")
    convenor = Client()
    log_in_as(convenor, assembly.log, assembly.members[0])
    html = convenor.get(f"/es/asamblea/{assembly.log}/reuniones/").content.decode()
    own = html.index('id="convene-title">Convocar una reunión</h2>')
    petition = html.index('id="petition-title">Convocar una reunión por petición</h2>')
    assert own < petition
