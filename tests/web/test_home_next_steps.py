"""The home page gives a member a next step: a proposal under discussion waits for cosignatures only when
the charter needs them before a vote, otherwise it is open to comments and objections; with no meeting
open, the meetings page is one tap away (to convene one, or to petition for one)."""

import pytest
from django.test import Client

from ayllu.actions.record import forget_replayed_state
from ayllu.core.charter.rules import founding_charter_data
from factories.keys import keypair
from factories.stored import act, found, log_in_as

from .test_translations import visible_text

pytestmark = pytest.mark.django_db

WAITS_FOR_COSIGNERS = "Espera cofirmas para poder decidirse."
UNDER_DISCUSSION = "En discusión: léala y comente u objete antes de que se decida."


def home_text_of_the_second_member(tabling: dict[str, object] | None) -> str:
    forget_replayed_state()
    charter = {**founding_charter_data(), "tabling": tabling} if tabling else None
    assembly = found("Junta Vecinal Los Andes", members=[keypair(1), keypair(2), keypair(3)], charter=charter)
    proposal = {"matter": "ordinary", "title": "Arreglar la cancha", "text": "Cemento.", "effect": {}}
    act(assembly, assembly.members[0], "proposal.tabled", proposal)
    client = Client()
    log_in_as(client, assembly.log, assembly.members[1])
    response = client.get(f"/es/asamblea/{assembly.log}/")
    assert response.status_code == 200
    return visible_text(response.content.decode(), language="es")


def test_without_cosigners_needed_the_home_invites_comments_not_cosignatures() -> None:
    text = home_text_of_the_second_member(None)
    assert "Arreglar la cancha" in text
    assert UNDER_DISCUSSION in text
    assert WAITS_FOR_COSIGNERS not in text


def test_with_cosigners_needed_the_home_says_it_waits_for_them() -> None:
    text = home_text_of_the_second_member({"by": "cosigned", "cosigners": 1})
    assert WAITS_FOR_COSIGNERS in text
    assert UNDER_DISCUSSION not in text


def test_with_no_meeting_open_the_home_leads_a_member_to_convene_or_ask_for_one() -> None:
    forget_replayed_state()
    assembly = found("Junta Vecinal Los Andes")
    member = Client()
    log_in_as(member, assembly.log, assembly.members[0])
    html = member.get(f"/es/asamblea/{assembly.log}/").content.decode()
    assert "No hay ninguna reunión abierta." in html
    assert f'href="/es/asamblea/{assembly.log}/reuniones/">Convocar una reunión o pedirla</a>' in html
    # a reader who is not logged in is not sent to forms they could not use
    outsider = Client().get(f"/es/asamblea/{assembly.log}/").content.decode()
    assert "Convocar una reunión o pedirla" not in outsider
