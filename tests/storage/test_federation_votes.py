"""A federation's questions voted by delegations, on this node: the write path appends a vote citing the
home mandate; verify replays it; a follower holding the home records takes the federation in and reaches
the sealer's votes and outcome; a vote citing a forked mandate is refused with evidence."""

from dataclasses import asdict

import pytest

from ayllu.actions.record import do_verify_record, forget_replayed_state
from ayllu.actions.replication import do_extend_replica
from ayllu.core.errors import CitationFork
from ayllu.core.federations.voting import list_delegation_ballots
from ayllu.queries.replayed import read_state
from ayllu.storage import models
from factories.assemblies import T0, Assembly, replay_all
from factories.federation_votes import (
    VOTED,
    close_after_grace,
    delegations,
    open_federation_question,
    state_mandate,
    vote_content,
)
from factories.federation_votes_stored import mandated_federation
from factories.federations import cite
from factories.federations_stored import VISIBLE, hold, stored_act
from factories.scenes import Clock


@pytest.fixture
def node_clock(db: None, monkeypatch: pytest.MonkeyPatch) -> Clock:
    forget_replayed_state()
    fake = Clock(now=T0)
    monkeypatch.setattr("ayllu.storage.clock.now_ms", fake)
    return fake


def _voices(log: str, question: int) -> tuple[object, ...]:
    return read_state(
        log,
        lambda s: (
            dict(s.questions[question].votes),
            s.questions[question].outcome,
            [asdict(b) for b in s.delegation_ballots],
        ),
    )


def test_a_vote_is_appended_here_and_verify_replays_it(node_clock: Clock) -> None:
    # given
    scene = mandated_federation(node_clock)
    # when
    seq = stored_act(scene.log, scene.delegate, VOTED, scene.vote("yes"))
    # then
    votes, _, ballots = _voices(scene.log, scene.question)
    assert votes == {scene.alto.log: "yes"}
    assert ballots[0]["seq"] == seq and ballots[0]["mandate"] == (scene.alto.log, scene.mandate.seq)  # type: ignore[index]
    report = do_verify_record(scene.log, workers=1)
    assert report.ok and report.replayed == seq


def test_a_follower_holding_the_homes_reaches_the_sealers_votes_and_outcome(node_clock: Clock) -> None:
    # given a federation sealed by another node: both delegations voted and the question closed
    s = delegations()
    question = open_federation_question(s.fed)
    for home, delegate, credential, position in (
        (s.alto, s.alto_delegate, s.alto_credential, "yes"),
        (s.bajo, s.bajo_delegate, s.bajo_credential, "no"),
    ):
        mandate = state_mandate(home, s.fed.log, question, position)
        s.fed.act(delegate, VOTED, vote_content(home, credential, question, position, mandate))
    close_after_grace(s.fed, question)
    hold(s.alto)
    hold(s.bajo)
    node_clock.now = s.fed.clock + 1000
    # when this node follows the federation
    bodies = {b.key: b for b in s.fed.bodies.values()}
    tip = do_extend_replica(s.fed.log, raws=[e.raw for e in s.fed.entries], bodies=bodies, visible=VISIBLE)
    # then it replayed every entry to the sealer's state, and so does a replay from nothing
    assert tip.size == len(s.fed.entries)
    theirs = s.fed.state.questions[question]
    expected = (dict(theirs.votes), theirs.outcome, [asdict(b) for b in s.fed.state.delegation_ballots])
    assert _voices(s.fed.log, question) == expected
    again = replay_all(s.fed.log, s.fed.entries, s.fed.bodies)
    assert list_delegation_ballots(again) == list_delegation_ballots(s.fed.state)
    assert do_verify_record(s.fed.log, workers=1).ok


def test_a_vote_citing_a_forked_mandate_is_refused_with_evidence(node_clock: Clock) -> None:
    # given this node holds alto; alto's node also sealed, at the mandate's place, another statement
    scene = mandated_federation(node_clock)
    held = scene.alto
    branch = Assembly(held.log, held.node, held.state, held.clock, held.entries[:-1], dict(held.bodies))
    branch.state = replay_all(held.log, branch.entries, branch.bodies)
    forked = branch.act(
        "bea",
        "delegate.mandated",
        {"federation": scene.log, "question": scene.question, "position": "yes"},
        dt=2000,
    )
    assert forked.seq == scene.mandate.seq and forked.hash != scene.mandate.hash
    size = models.Entry.objects.filter(record__log=scene.log).count()
    content = vote_content(held, scene.credential, scene.question, "yes")
    content["cites"].append(cite(branch, forked).as_json())
    content["mandate"] = branch.bodies[forked.act.body].content()
    # when / then
    with pytest.raises(CitationFork) as refused:
        stored_act(scene.log, scene.delegate, VOTED, content)
    assert (refused.value.detail["reason"], refused.value.detail["seq"]) == ("entry_differs", forked.seq)
    assert models.Entry.objects.filter(record__log=scene.log).count() == size
    assert models.Evidence.objects.filter(log=held.log, kind="fork").count() == 1
