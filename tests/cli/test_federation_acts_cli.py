"""A federation's acts from the command line (issue 14): `ayllu act propose-resolution`, `cite-recall`,
`plenary-presence`, `recall-vote` and `close-recall-vote` on a federation held here, each appended
through the write path (its rules replayed, and the record then verifying whole) and, given a bad
input, refused in words with nothing written. The commands run in this process on the test database
(like test_federation_cli.py).
"""

from ayllu.core.charter.rules import DAY_MS
from ayllu.queries.replayed import read_state
from factories.cli_acts import ActAt, appended, entries_of
from factories.federation_votes_stored import mandated_federation, recalled_delegate
from factories.federations import cite
from factories.federations_stored import seated_federation, suspended_office
from factories.plenary_chair import convened_plenary
from factories.scenes import Clock


def test_ayllu_act_propose_resolution_is_tabled_by_a_seated_delegate_and_refused_below_the_charters_share(
    node_clock: Clock, act_at: ActAt
) -> None:
    # given alto's delegate seated in a federation held here
    scene = seated_federation(node_clock)
    size = len(entries_of(scene.log))
    texts = {
        "title": "Paro cívico",
        "text": "",
        "rule": "assemblies",
        "deadline": node_clock.now + 30 * DAY_MS,
    }
    # when the delegate proposes a resolution passing with a tenth of the assemblies, then with half
    refused, said = act_at("propose-resolution", scene.log, scene.delegate, share="1/10", **texts)
    code, out = act_at("propose-resolution", scene.log, scene.delegate, share="1/2", **texts)
    # then
    assert refused == 2 and "resolution_share_below_charter: A resolution may ask a larger share" in said
    assert code == 0, out
    assert appended(scene.log, size, "proposal.tabled")


def test_ayllu_act_cite_recall_ends_the_seat_once_and_refuses_it_again(
    node_clock: Clock, act_at: ActAt
) -> None:
    # given alto recalled its seated delegate and stated it (alto's record held here)
    alto, fed, _ = recalled_delegate(node_clock, stated=True)
    withdrawal = alto.entries[-1]
    fields = {
        "cites": [cite(alto, withdrawal).as_json()],
        "withdrawn": alto.bodies[withdrawal.act.body].content(),
    }
    size = len(entries_of(fed))
    # when anyone cites it, then cites it again
    code, out = act_at("cite-recall", fed, "lola", **fields)
    again, said = act_at("cite-recall", fed, "lola", **fields)
    # then
    assert code == 0, out
    assert (
        again == 2 and "recall_already_cited: That recall has already been cited in the federation." in said
    ), said
    assert appended(fed, size, "federation.recall_cited")


def test_ayllu_act_plenary_presence_signs_the_delegate_present_and_refuses_another_assemblys_credential(
    node_clock: Clock, act_at: ActAt
) -> None:
    # given a plenary at its start, alto's and bajo's delegates seated, nobody present yet
    plenary = convened_plenary(node_clock)
    (alto, bajo), (delegate, _) = plenary.homes[:2], plenary.delegates
    own, others = (cite(h, c).as_json() for h, c in zip((alto, bajo), plenary.credentials, strict=True))
    size = len(entries_of(plenary.log))
    # when alto's delegate cites bajo's credential, then their own
    refused, said = act_at("plenary-presence", plenary.log, delegate, meeting=plenary.meeting, cites=[others])
    code, out = act_at("plenary-presence", plenary.log, delegate, meeting=plenary.meeting, cites=[own])
    # then
    assert refused == 2 and "not_seated: You hold no seat in the federation now on the credential" in said
    assert code == 0, out
    assert appended(plenary.log, size, "federation.plenary_present")


def test_ayllu_act_recall_vote_casts_the_mandated_voice_and_refuses_one_against_the_mandate(
    node_clock: Clock, act_at: ActAt
) -> None:
    # given a convenor suspended by two assemblies, each mandated to confirm it
    scene = suspended_office(node_clock)
    delegate = scene.voters[0][1]
    size = len(entries_of(scene.log))
    # when its delegate votes to lift the suspension, then to confirm it
    refused, said = act_at("recall-vote", scene.log, delegate, lang="es", **scene.ballot(0, "lift"))
    code, out = act_at("recall-vote", scene.log, delegate, **scene.ballot(0, "confirm"))
    # then
    assert refused == 2 and "contrary_to_mandate: El voto va contra el mandato" in said, said
    assert "en esta cuestión su posición es Confirmar la suspensión." in said, said  # the position in words
    assert code == 0, out
    assert appended(scene.log, size, "federation.recall_voted")


def test_ayllu_act_close_recall_vote_decides_it_after_its_deadline_and_refuses_before(
    node_clock: Clock, act_at: ActAt
) -> None:
    # given a recall vote both suspending assemblies' delegates voted "confirm" on
    scene = suspended_office(node_clock)
    for voter in (0, 1):
        assert (
            act_at("recall-vote", scene.log, scene.voters[voter][1], **scene.ballot(voter, "confirm"))[0] == 0
        )
    size = len(entries_of(scene.log))
    # when anyone closes it before its deadline and the recall grace time, then after them
    early, said = act_at("close-recall-vote", scene.log, "lola", lang="es", recall=scene.recall)
    node_clock.now = read_state(
        scene.log,
        lambda s: s.offices.recall_votes[scene.recall].deadline + s.rules.federation.recall_grace_ms,  # type: ignore[union-attr]
    )
    code, out = act_at("close-recall-vote", scene.log, "lola", recall=scene.recall)
    # then
    assert (
        early == 2
        and "question_still_open: Todavía no se puede cerrar la votación: en una federación" in said
    ), said
    assert code == 0, out
    assert appended(scene.log, size, "federation.recall_closed")


def test_ayllu_act_close_question_in_a_federation_waits_out_the_recall_grace_time_and_says_so(
    node_clock: Clock, act_at: ActAt
) -> None:
    # given a federation's question open, alto's delegate seated
    scene = mandated_federation(node_clock)
    size = len(entries_of(scene.log))
    closes = read_state(
        scene.log,
        lambda s: s.questions[scene.question].deadline + s.rules.federation.recall_grace_ms,  # type: ignore[union-attr]
    )
    # when the delegate closes it after its deadline but within the grace time, then after both
    node_clock.now = closes - 1000
    early, said = act_at("close-question", scene.log, scene.delegate, question=scene.question)
    node_clock.now = closes + 1000
    code, out = act_at("close-question", scene.log, scene.delegate, question=scene.question)
    # then
    assert early == 2 and "question_still_open: The vote cannot be closed yet: in a federation" in said
    assert code == 0 and appended(scene.log, size, "question.closed"), out
