"""A federation's questions, voted by its member assemblies' seated delegates, bound by cited mandates."""

from ayllu.core.federations.voting import list_delegation_ballots
from ayllu.core.mandates.acts import CONTRARY, WITHOUT_MANDATE, flag_against
from factories.assemblies import replay_all
from factories.federation_votes import (
    MANDATED,
    VOTED,
    close_after_grace,
    delegations,
    open_federation_question,
    state_mandate,
    vote_content,
)
from factories.federations import accredit, cite, give_federation_cargo, seat_content
from factories.keys import pub


def test_seated_delegates_cast_their_assemblies_voices_and_every_replica_agrees() -> None:
    # given two delegations, each mandated "yes" by its assembly
    s = delegations()
    question = open_federation_question(s.fed)
    alto_mandate = state_mandate(s.alto, s.fed.log, question, "yes")
    bajo_mandate = state_mandate(s.bajo, s.fed.log, question, "yes")
    # when each delegate casts their assembly's voice and a founder closes the question
    s.fed.act(s.alto_delegate, VOTED, vote_content(s.alto, s.alto_credential, question, "yes", alto_mandate))
    s.fed.act(s.bajo_delegate, VOTED, vote_content(s.bajo, s.bajo_credential, question, "yes", bajo_mandate))
    close_after_grace(s.fed, question)
    # then the voices are the assemblies', and the proposal passed
    closed = s.fed.state.questions[question]
    assert closed.votes == {s.alto.log: "yes", s.bajo.log: "yes"}
    assert s.fed.state.proposals[closed.proposal].status == "adopted"
    again = replay_all(s.fed.log, s.fed.entries, s.fed.bodies)
    assert again.questions[question].votes == closed.votes
    assert again.questions[question].outcome == closed.outcome
    assert list_delegation_ballots(again) == list_delegation_ballots(s.fed.state)


def test_the_eligible_voters_of_a_federation_question_are_its_member_assemblies() -> None:
    # when
    s = delegations()
    question = open_federation_question(s.fed)
    # then
    assert set(s.fed.state.questions[question].eligible) == {s.alto.log, s.bajo.log}


def test_a_delegates_own_ballot_is_refused_in_a_federation() -> None:
    # given
    s = delegations()
    question = open_federation_question(s.fed)
    # when
    code = s.fed.rejects(s.alto_delegate, "vote.cast", {"question": question, "choice": "yes"})
    # then
    assert code == "voted_by_delegates"


def test_a_vote_contrary_to_the_cited_mandate_is_refused() -> None:
    # given
    s = delegations()
    question = open_federation_question(s.fed)
    mandate = state_mandate(s.alto, s.fed.log, question, "no")
    # when
    contrary = s.fed.rejects(
        s.alto_delegate, VOTED, vote_content(s.alto, s.alto_credential, question, "yes", mandate)
    )
    abstaining = s.fed.rejects(
        s.alto_delegate, VOTED, vote_content(s.alto, s.alto_credential, question, "abstain", mandate)
    )
    # then
    assert contrary == abstaining == "contrary_to_mandate"
    assert s.fed.state.questions[question].votes == {}


def test_the_federation_judges_a_vote_by_the_function_that_flags_one_at_home() -> None:
    # then the one function both records use
    assert flag_against("no", "yes") == CONTRARY
    assert flag_against(None, "yes") == WITHOUT_MANDATE
    assert flag_against(None, "abstain") == flag_against("yes", "yes") == ""


def test_without_a_mandate_a_delegate_may_only_abstain() -> None:
    # given
    s = delegations()
    question = open_federation_question(s.fed)
    # when
    code = s.fed.rejects(s.alto_delegate, VOTED, vote_content(s.alto, s.alto_credential, question, "yes"))
    s.fed.act(s.alto_delegate, VOTED, vote_content(s.alto, s.alto_credential, question, "abstain"))
    # then
    assert code == "no_mandate"
    assert s.fed.state.questions[question].votes == {s.alto.log: "abstain"}


def test_a_newer_mandate_recasts_the_voice_and_an_older_one_is_refused() -> None:
    # given alto's delegate voted "yes" on its first mandate
    s = delegations()
    question = open_federation_question(s.fed)
    first = state_mandate(s.alto, s.fed.log, question, "yes")
    s.fed.act(s.alto_delegate, VOTED, vote_content(s.alto, s.alto_credential, question, "yes", first))
    again = s.fed.rejects(
        s.alto_delegate, VOTED, vote_content(s.alto, s.alto_credential, question, "yes", first)
    )
    # when the assembly changes its mandate and the delegate votes on the new one
    second = state_mandate(s.alto, s.fed.log, question, "no")
    s.fed.act(s.alto_delegate, VOTED, vote_content(s.alto, s.alto_credential, question, "no", second))
    # then the voice is recast; the old mandate, and abstaining past a mandate, are stale
    assert again == "already_voted"
    assert s.fed.state.questions[question].votes == {s.alto.log: "no"}
    older = vote_content(s.alto, s.alto_credential, question, "yes", first)
    assert s.fed.rejects(s.alto_delegate, VOTED, older) == "stale_mandate"
    none = vote_content(s.alto, s.alto_credential, question, "abstain")
    assert s.fed.rejects(s.alto_delegate, VOTED, none) == "stale_mandate"
    assert [b["recast"] for b in list_delegation_ballots(s.fed.state)] == [True, False]


def test_a_delegation_has_one_voice_however_many_of_its_delegates_vote() -> None:
    # given alto seats a second delegate
    s = delegations()
    second = give_federation_cargo(s.alto, s.fed.log, cargo="delegada")
    credential = accredit(s.alto, second, s.fed.log)
    s.fed.clock = max(s.fed.clock, s.alto.clock)
    s.fed.act(second, "federation.seated", seat_content(s.alto, credential))
    question = open_federation_question(s.fed)
    mandate = state_mandate(s.alto, s.fed.log, question, "yes")
    s.fed.act(s.alto_delegate, VOTED, vote_content(s.alto, s.alto_credential, question, "yes", mandate))
    # when the second delegate votes on the same mandate
    code = s.fed.rejects(second, VOTED, vote_content(s.alto, credential, question, "yes", mandate))
    # then
    assert code == "already_voted"
    assert s.fed.state.questions[question].votes == {s.alto.log: "yes"}


def test_only_the_delegate_seated_on_the_cited_credential_votes() -> None:
    # given
    s = delegations()
    question = open_federation_question(s.fed)
    other = next(n for n in ("ana", "bea", "carla") if n != s.alto_delegate)
    # when another member of alto, or bajo's delegate, cites alto's credential
    by_other = s.fed.rejects(other, VOTED, vote_content(s.alto, s.alto_credential, question, "abstain"))
    by_bajo = s.fed.rejects(
        s.bajo_delegate, VOTED, vote_content(s.alto, s.alto_credential, question, "abstain")
    )
    # then
    assert by_other == by_bajo == "not_seated"


def test_a_cited_entry_that_is_not_the_assemblys_mandate_on_this_question_is_refused() -> None:
    # given
    s = delegations()
    question = open_federation_question(s.fed)
    later = open_federation_question(s.fed, by=s.bajo_delegate)
    on_later = state_mandate(s.alto, s.fed.log, later, "yes")
    bajos = state_mandate(s.bajo, s.fed.log, question, "yes")
    # when
    credential_as_mandate = vote_content(s.alto, s.alto_credential, question, "yes", s.alto_credential)
    forged = vote_content(
        s.alto, s.alto_credential, question, "yes", state_mandate(s.alto, s.fed.log, question, "no")
    )
    forged["mandate"] = {**forged["mandate"], "position": "yes"}
    of_bajo = vote_content(s.alto, s.alto_credential, question, "yes")
    of_bajo["cites"].append(cite(s.bajo, bajos).as_json())
    of_bajo["mandate"] = s.bajo.bodies[bajos.act.body].content()
    codes = [
        s.fed.rejects(s.alto_delegate, VOTED, credential_as_mandate),
        s.fed.rejects(
            s.alto_delegate, VOTED, vote_content(s.alto, s.alto_credential, question, "yes", on_later)
        ),
        s.fed.rejects(s.alto_delegate, VOTED, of_bajo),
        s.fed.rejects(s.alto_delegate, VOTED, forged),
    ]
    # then
    assert codes == ["not_a_mandate"] * 4


def test_the_home_states_only_the_mandate_it_decided() -> None:
    # given
    s = delegations()
    question = open_federation_question(s.fed)
    state_mandate(s.alto, s.fed.log, question, "yes")
    content = {"federation": s.fed.log, "question": question}
    # when
    other_position = s.alto.rejects("bea", MANDATED, {**content, "position": "no"})
    undecided = s.alto.rejects("bea", MANDATED, {**content, "question": question + 1, "position": "yes"})
    # then
    assert other_position == undecided == "not_mandated"
    assert s.alto.state.members[pub("bea")]
