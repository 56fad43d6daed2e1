"""A federation has no cargos by turn among households (decision 0033): its page of proposals to table
does not offer one, and the form's own address says why in words, linking to giving a cargo by decision;
an assembly's pages still offer it."""

from django.test import Client
from django.urls import reverse
from django.utils import translation

from factories.federations_stored import seated_federation
from factories.keys import keypair
from factories.scenes import Clock
from factories.stored import log_in_as


def _url(name: str, **kwargs: object) -> str:
    with translation.override("es"):
        return reverse(f"web:{name}", kwargs=kwargs)


def test_a_federation_offers_no_cargo_by_turn_and_says_why(client: Client, clock: Clock) -> None:
    # given alto's delegate seated in a federation held here, logged in at home
    scene = seated_federation(clock)
    log_in_as(client, scene.alto.log, keypair(scene.delegate))
    creation = _url("new_matter_proposal", log=scene.log, matter="cargo_creation")
    assignment = _url("new_matter_proposal", log=scene.log, matter="cargo_assignment")
    # when the federation's page of proposals is read in Spanish
    page = client.get(_url("new_proposal", log=scene.log), headers={"accept-language": "es"})
    # then it offers giving a cargo by decision, and no cargo by turn
    assert page.status_code == 200
    assert assignment in page.content.decode() and creation not in page.content.decode()
    # and the cargo-by-turn form's address explains, with no form to sign
    answer = client.get(creation, headers={"accept-language": "es"}).content.decode()
    assert "data-ayllu-no-turns" in answer and "pasan por turno entre sus asambleas miembro" in answer
    assert 'data-type="proposal.tabled"' not in answer and assignment in answer


def test_an_assembly_still_offers_a_cargo_by_turn(client: Client, clock: Clock) -> None:
    scene = seated_federation(clock)
    log_in_as(client, scene.alto.log, keypair("ana"))
    creation = _url("new_matter_proposal", log=scene.alto.log, matter="cargo_creation")
    page = client.get(_url("new_proposal", log=scene.alto.log), headers={"accept-language": "es"})
    assert creation in page.content.decode()
    answer = client.get(creation, headers={"accept-language": "es"}).content.decode()
    assert "data-ayllu-no-turns" not in answer and 'data-type="proposal.tabled"' in answer
