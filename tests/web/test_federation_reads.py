"""The federation pages' reads are frozen typed read models (queries/federation*.py), as the assembly's
reads are: a view filters or shows them and never writes into them, and the votes' and recall votes'
forms are built by one function (`mandated_voice`)."""

import dataclasses
import html
import json

import pytest
from django.test import Client
from django.urls import reverse

from ayllu.core.assembly.words import ReadModel
from ayllu.queries.federation_members import list_member_forms
from ayllu.queries.federation_offices import get_home_federation_offices
from ayllu.queries.federation_plenaries import get_plenaries_page
from ayllu.queries.federation_votes import (
    QuestionFormsRead,
    get_federation_mandates,
    list_delegation_forms,
    list_mandate_questions,
    list_recall_forms,
    list_seat_forms,
)
from ayllu.queries.federations import OurFederationRead, list_delegates, list_our_federations
from factories.federation_votes_stored import mandated_federation
from factories.federations import ratify_at_home
from factories.federations_stored import hold, office_scene, resolved_federation
from factories.keys import keypair
from factories.scenes import Clock
from factories.stored import log_in_as


def _frozen_reads(value: object) -> None:
    """Every object inside `value` is a frozen read model or a plain value: no dict, no list."""
    assert not isinstance(value, dict | list), value
    if isinstance(value, ReadModel):
        assert type(value).__dataclass_params__.frozen  # type: ignore[attr-defined]
        for field in dataclasses.fields(value):  # type: ignore[arg-type]
            _frozen_reads(getattr(value, field.name))
    elif isinstance(value, tuple):
        for item in value:
            _frozen_reads(item)


def test_the_federation_pages_reads_are_frozen_read_models(clock: Clock) -> None:
    # given a federation with a delegate of a home held here who may vote
    scene = mandated_federation(clock, checkpointed=True)
    # when
    reads = [
        list_delegation_forms(scene.log, now=clock.now),
        list_seat_forms(scene.log, now=clock.now),
        list_recall_forms(scene.log, now=clock.now),
        list_member_forms(scene.log, now=clock.now),
    ]
    page = get_plenaries_page(scene.log, now=clock.now)
    # then
    assert reads[0] and reads[0][0].votes
    for read in reads:
        _frozen_reads(tuple(read))
    _frozen_reads(page)
    _frozen_reads(tuple(list_delegates(scene.log).values()))
    mandates = get_federation_mandates(scene.alto.log, key=keypair("bea").public, now=clock.now)
    assert mandates[scene.log].questions[0].mandate is not None
    _frozen_reads(tuple(mandates.values()))
    questions = list_mandate_questions(scene.log, now=clock.now)
    assert questions
    _frozen_reads(tuple(questions))
    with pytest.raises(dataclasses.FrozenInstanceError):
        reads[0][0].votes = ()  # type: ignore[misc]


def test_a_delegate_logged_in_at_home_sees_their_forms_and_the_query_answer_is_unchanged(
    client: Client, clock: Clock
) -> None:
    # given
    scene = mandated_federation(clock, checkpointed=True)
    before = list_delegation_forms(scene.log, now=clock.now)
    # when the delegate reads the page logged in at home (the view keeps only their own forms)
    log_in_as(client, scene.alto.log, keypair(scene.delegate))
    page = client.get(reverse("web:federation_home", kwargs={"log": scene.log}))
    # then the page offers their vote, and the query answers as before
    assert page.status_code == 200
    assert 'data-type="federation.voted"' in page.content.decode()
    assert list_delegation_forms(scene.log, now=clock.now) == before
    [question] = before
    mine = question.of_home(home=scene.alto.log, key=keypair(scene.delegate).public)
    assert isinstance(mine, QuestionFormsRead) and mine.votes == question.votes
    assert question.of_home(home=scene.bajo.log, key=keypair("nadie").public).votes == ()


def test_our_federations_is_a_frozen_read_with_the_ratification_to_cite(client: Client, clock: Clock) -> None:
    # given alto decided and recorded its ratification; its record is held here
    scene = resolved_federation(clock)
    recorded = ratify_at_home(scene.alto, scene.log, scene.resolution)
    hold(scene.alto, checkpoint=True)
    # when
    [federation] = list_our_federations(scene.alto.log, now=clock.now)
    # then the read carries the act that cites the recorded answer: the view adds nothing to it
    assert isinstance(federation, OurFederationRead)
    _frozen_reads(federation)
    [resolution] = federation.resolutions
    assert (resolution.step, resolution.recorded) == ("cite", recorded.seq)
    cited = json.loads(resolution.cite_body)
    assert cited["resolution"] == scene.resolution and cited["cites"]
    # and the home page offers a member of alto that very body
    log_in_as(client, scene.alto.log, keypair("bea"))
    home = client.get(reverse("web:assembly", kwargs={"log": scene.alto.log})).content.decode()
    assert 'data-type="federation.ratified"' in home
    assert f'value="{html.escape(resolution.cite_body)}"' in home


def test_our_federation_offices_carry_what_citing_a_credential_takes(clock: Clock) -> None:
    # given the convenor's turn assembly issued an office credential, not yet cited in the federation
    scene = office_scene(clock)
    # when a member of that assembly, and an outsider, ask
    [mine] = get_home_federation_offices(scene.turn.log, key=keypair(scene.holder).public, now=clock.now)
    [theirs] = get_home_federation_offices(scene.turn.log, key=keypair("nadie").public, now=clock.now)
    # then the member's read carries the citation and body the citing act takes; the outsider's none
    [credential] = mine.uncited_credentials
    assert credential.seq == scene.credential.seq and credential.cite is not None
    assert json.loads(credential.cite.body)["office"] == "convenor"
    assert [c.cite for c in theirs.uncited_credentials] == [None]
    with pytest.raises(dataclasses.FrozenInstanceError):
        mine.uncited_credentials = ()  # type: ignore[misc]
