"""Ratification on the pages: the federation's home shows each resolution's count, weights, deadline and
outcome; a member assembly's home shows "our federations" with its next step on each resolution, and
the form for it (docs/federation-bodies.md)."""

import html
import json
import re

import pytest
from django.test import Client

from ayllu.core.assembly.acts import ACT_KINDS
from ayllu.core.assembly.allowed import refusal
from ayllu.queries.replayed import read_state
from ayllu.storage import clock
from factories.federations import ratified_content, ratify_at_home
from factories.federations_stored import ResolvedFederation, hold, resolved_federation, stored_act
from factories.keys import keypair
from factories.scenes import Clock
from factories.stored import log_in_as, page_url


@pytest.fixture
def scene(clock: Clock) -> ResolvedFederation:
    return resolved_federation(clock, share="2/3")


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        (
            "es",
            ("Resolución", "esperando la ratificación", "1 a favor y 0 en contra, de 3 asambleas miembro"),
        ),
        (
            "en",
            ("Resolution", "waiting for ratification", "1 ratified and 0 refused, of 3 member assemblies"),
        ),
    ],
)
def test_the_federation_home_counts_each_resolutions_ratification(
    client: Client, scene: ResolvedFederation, lang: str, words: tuple[str, ...]
) -> None:
    # given alto ratified, cited by anyone
    recorded = ratify_at_home(scene.alto, scene.log, scene.resolution)
    hold(scene.alto)
    stored_act(
        scene.log, "zoe", "federation.ratified", ratified_content(scene.alto, recorded, scene.resolution)
    )
    # when
    page = client.get(page_url("federation_home", lang, log=scene.log), headers={"accept-language": lang})
    # then
    text = page.content.decode()
    assert page.status_code == 200
    for expected in words:
        assert expected in text, expected
    assert 'data-ayllu-outcome="pending"' in text and "2/3" in text and "1/3" in text


def test_a_member_assembly_sees_the_resolution_and_proposes_ratifying_it(
    client: Client, scene: ResolvedFederation
) -> None:
    # given alto's delegate holds a credential for the federation (alto's record names it: the scene
    # seated them to vote the resolution)
    hold(scene.alto)
    log_in_as(client, scene.alto.log, keypair("bea"))
    # when
    page = client.get(page_url("assembly", "en", log=scene.alto.log)).content.decode()
    # then
    assert "Our federations" in page and "Our assembly has not decided on it yet." in page
    propose = page_url("new_matter_proposal", "en", log=scene.alto.log, matter="ratification")
    assert f"{propose}?federation={scene.log}&amp;resolution={scene.resolution}" in page
    form = client.get(f"{propose}?federation={scene.log}&resolution={scene.resolution}").content.decode()
    assert f'value="{scene.log}"' in form and f'value="{scene.resolution}"' in form


def test_a_decided_ratification_is_offered_to_record_and_then_shown_counted(
    client: Client, scene: ResolvedFederation
) -> None:
    # given alto refused by its own decision, not yet recorded
    proposal = scene.alto.table(
        "ana", matter="ratification", effect={"federation": scene.log, "resolution": scene.resolution}
    )
    question = scene.alto.open_question("ana", proposal)
    for name in ("ana", "bea", "carla"):
        scene.alto.vote(name, question, "no")
    scene.alto.act("ana", "question.closed", {"question": question})
    hold(scene.alto)
    log_in_as(client, scene.alto.log, keypair("bea"))
    # when
    page = client.get(page_url("assembly", "en", log=scene.alto.log)).content.decode()
    # then
    assert "Our assembly decided to refuse it" in page
    assert 'data-type="ratification.recorded"' in page
    assert f'name="body.proposal" value="{proposal}"' in page and 'name="body.answer" value="no"' in page


def test_an_answer_counted_is_shown_as_such(client: Client, scene: ResolvedFederation) -> None:
    # given sur ratified and its answer is counted
    recorded = ratify_at_home(scene.sur, scene.log, scene.resolution)
    hold(scene.sur)
    stored_act(
        scene.log, "zoe", "federation.ratified", ratified_content(scene.sur, recorded, scene.resolution)
    )
    # when an outsider reads sur's home
    page = client.get(page_url("assembly", "en", log=scene.sur.log)).content.decode()
    # then
    assert "Our assembly ratified it; the federation counted our answer." in page
    assert 'data-type="federation.ratified"' not in page


def test_the_home_page_changes_when_a_federation_it_names_grows(
    client: Client, scene: ResolvedFederation
) -> None:
    # given alto's home read once, while its answer is not yet counted
    recorded = ratify_at_home(scene.alto, scene.log, scene.resolution)
    hold(scene.alto)
    home = page_url("assembly", "en", log=scene.alto.log)
    first = client.get(home)
    # when anyone cites alto's answer into the federation (alto's own record does not change)
    stored_act(
        scene.log, "zoe", "federation.ratified", ratified_content(scene.alto, recorded, scene.resolution)
    )
    again = client.get(home, headers={"if-none-match": first["ETag"]})
    # then the page is not answered from the cache: it says the answer is counted
    assert again.status_code == 200
    assert "Our assembly ratified it; the federation counted our answer." in again.content.decode()


def test_a_recorded_answer_is_offered_to_cite_into_the_federation_signed_with_the_assemblys_key(
    client: Client, scene: ResolvedFederation
) -> None:
    # given alto recorded its decision; this node holds alto's record with a checkpoint of its head
    ratify_at_home(scene.alto, scene.log, scene.resolution)
    hold(scene.alto, checkpoint=True)
    log_in_as(client, scene.alto.log, keypair("bea"))
    # when
    page = client.get(page_url("assembly", "en", log=scene.alto.log)).content.decode()
    # then the form posts the act to the federation's record, signed with the key kept for alto
    form = page[page.index('data-type="federation.ratified"') - 400 :]
    assert f'data-log="{scene.log}"' in form and f'data-key-log="{scene.alto.log}"' in form
    body = json.loads(html.unescape(re.search(r'data-ayllu-body value="([^"]*)"', form).group(1)))  # type: ignore[union-attr]
    # and the core would count the act that form sends
    act = ACT_KINDS["federation.ratified"].parse(body)
    refusal_code = read_state(
        scene.log, lambda s: refusal(s, key=keypair("bea").public, act=act, time=clock.now_ms())
    )
    assert refusal_code is None and body["resolution"] == scene.resolution


def test_a_share_not_yet_begun_reads_as_none_so_far(client: Client, scene: ResolvedFederation) -> None:
    # given a resolution nobody has answered yet
    # when
    page = client.get(page_url("federation_home", "en", log=scene.log), headers={"accept-language": "en"})
    # then what it has reads in words, neither "0" nor the fraction "0/1"
    text = " ".join(page.content.decode().split())
    assert "It needs 2/3. None has ratified it yet." in text and "0/1" not in text
