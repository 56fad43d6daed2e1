"""What the federation walk (tests/browser/test_federation_walk.py) found missing on a council member's
phone: a delegate logged in at home finds their own form at the top of the federation's page, not every
delegation's; the federation is named by its name where this node holds it; and recording a
ratification leads back to the home page, where citing it into the federation is the next button."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from factories.federations import accredit, found_home, give_federation_cargo
from factories.federations_stored import (
    ResolvedFederation,
    found_stored_federation,
    hold,
    resolved_federation,
)
from factories.keys import keypair
from factories.scenes import Clock
from factories.stored import log_in_as


def _url(name: str, **kwargs: object) -> str:
    with translation.override("en"):
        return reverse(f"web:{name}", kwargs=kwargs)


@pytest.fixture
def two_credentials(clock: Clock) -> tuple[str, str, str, str]:
    """Alto and bajo, both held here with a checkpoint, each with a delegate's credential not yet cited:
    (federation, alto's log, alto's delegate, bajo's delegate)."""
    alto, bajo = found_home(["ana", "bea", "carla"]), found_home(["dora", "eva", "flor"])
    fed = found_stored_federation({"ana": alto, "dora": bajo})
    delegates = []
    for home in (alto, bajo):
        delegate = give_federation_cargo(home, fed)
        accredit(home, delegate, fed)
        clock.now = max(clock.now, home.clock + 1000)
        hold(home, checkpoint=True)
        delegates.append(delegate)
    return fed, alto.log, delegates[0], delegates[1]


def test_a_delegate_logged_in_at_home_sees_only_their_own_seat_and_is_told_so_first(
    client: Client, two_credentials: tuple[str, str, str, str]
) -> None:
    # given a visitor who is not logged in sees neither delegation's seat form (each is signed with
    # the key kept for the delegate's home)
    fed, alto, delegate, _ = two_credentials
    page = _url("federation_home", log=fed)
    before = client.get(page).content.decode()
    assert before.count('data-type="federation.seated"') == 0
    assert "Your credential is ready" not in before
    # when alto's delegate logs in at home and opens the federation's page
    log_in_as(client, alto, keypair(delegate))
    text = client.get(page).content.decode()
    # then only their own seat is offered, and the top of the page links to it
    assert text.count('data-type="federation.seated"') == 1
    seat = text.split('data-type="federation.seated"', 1)[0].rsplit("<form", 1)[1]
    assert f'data-key-log="{alto}"' in seat
    assert 'href="#seat-forms"' in text and "Your credential is ready: take your seat" in text


def test_the_mandates_page_names_a_federation_this_node_holds(
    client: Client, two_credentials: tuple[str, str, str, str]
) -> None:
    # given alto's delegate issued a credential for the federation held here
    fed, alto, delegate, _ = two_credentials
    # when a member reads alto's mandates page
    log_in_as(client, alto, keypair(delegate))
    text = client.get(_url("mandates", log=alto)).content.decode()
    # then the body is headed by the federation's name, not its log id
    assert '<h2 id="body-1"><bdi>Federación de juntas vecinales</bdi></h2>' in text
    assert f'<h2 id="body-1">{fed}</h2>' not in text
    # and a mandate proposed there is titled by that name (cargos.js reads it), not by the log id
    assert 'data-ayllu-title-word="Federación de juntas vecinales"' in text


@pytest.fixture
def resolved(clock: Clock) -> ResolvedFederation:
    return resolved_federation(clock)


def test_the_ratification_form_names_the_federation_and_links_the_resolution(
    client: Client, resolved: ResolvedFederation
) -> None:
    # given alto, held here, whose member opens the form "our federations" links to
    hold(resolved.alto)
    log_in_as(client, resolved.alto.log, keypair("bea"))
    form = _url("new_matter_proposal", log=resolved.alto.log, matter="ratification")
    # when
    text = client.get(f"{form}?federation={resolved.log}&resolution={resolved.resolution}").content.decode()
    # then the resolution links to its page in the federation, which is named
    resolution = _url("proposal", log=resolved.log, proposal_id=resolved.resolution)
    assert f'href="{resolution}">Resolution {resolved.resolution}</a>' in text
    assert "<bdi>Federación de juntas vecinales</bdi>" in text


def test_recording_a_ratification_comes_back_to_the_home_page(
    client: Client, resolved: ResolvedFederation
) -> None:
    # given alto decided to ratify, not yet recorded
    alto = resolved.alto
    proposal = alto.table(
        "ana", matter="ratification", effect={"federation": resolved.log, "resolution": resolved.resolution}
    )
    question = alto.open_question("ana", proposal)
    for name in ("ana", "bea", "carla"):
        alto.vote(name, question, "yes")
    alto.act("ana", "question.closed", {"question": question})
    hold(alto)
    log_in_as(client, alto.log, keypair("bea"))
    home = _url("assembly", log=alto.log)
    # when
    text = client.get(home).content.decode()
    # then the record form goes on to the home page (where the next step, citing it, waits)
    form = text.split('data-type="ratification.recorded"', 1)[1].split(">", 1)[0]
    assert f'data-next="{home}"' in form and "data-ayllu-goto" not in form
