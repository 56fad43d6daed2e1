"""Recall reaches the federation: the home record states the withdrawal, anyone cites it, and a voice the
recalled delegate cast after the recall counts for nothing, whichever order the entries arrived in."""

from ayllu.core.charter.rules import DAY_MS
from factories.assemblies import replay_all
from factories.federation_votes import (
    VOTED,
    Delegations,
    close_after_grace,
    delegations,
    open_federation_question,
    recall_delegate,
    state_mandate,
    vote_content,
)
from factories.federations import cite

WITHDRAWN = "delegate.withdrawn"
CITED = "federation.recall_cited"


def _withdrawal(s: Delegations, at: int) -> dict[str, object]:
    entry = s.alto.act(
        "bea" if s.alto_delegate != "bea" else "ana",
        WITHDRAWN,
        {"federation": s.fed.log, "credential": s.alto_credential.seq, "at": at},
    )
    return {"cites": [cite(s.alto, entry).as_json()], "withdrawn": s.alto.bodies[entry.act.body].content()}


def _voting(days: int = 10) -> tuple[Delegations, int, object]:
    s = delegations()
    question = open_federation_question(s.fed, voting_ms=days * DAY_MS)
    mandate = state_mandate(s.alto, s.fed.log, question, "yes")
    return s, question, mandate


def test_a_vote_cast_after_the_recall_counts_for_nothing_once_the_recall_is_cited() -> None:
    # given alto recalls its delegate; the delegate votes in the federation afterwards, before anyone cites it
    s, question, mandate = _voting()
    at = recall_delegate(s.alto, s.alto_delegate)
    s.fed.clock = max(s.fed.clock, at)
    s.fed.act(s.alto_delegate, VOTED, vote_content(s.alto, s.alto_credential, question, "yes", mandate))
    assert s.fed.state.questions[question].votes == {s.alto.log: "yes"}
    # when anyone cites the withdrawal, and the question closes after the grace time
    s.fed.act("eva", CITED, _withdrawal(s, at))
    close_after_grace(s.fed, question)
    # then the late voice fell, on this replica and on one replaying from nothing
    assert s.fed.state.questions[question].votes == {}
    again = replay_all(s.fed.log, s.fed.entries, s.fed.bodies)
    assert (
        again.questions[question].votes == {}
        and again.questions[question].outcome == s.fed.state.questions[question].outcome
    )


def test_a_vote_cast_before_the_recall_stands_and_the_recalled_delegate_votes_no_more() -> None:
    # given alto's delegate voted, and only then alto recalled them
    s, question, mandate = _voting()
    s.fed.act(s.alto_delegate, VOTED, vote_content(s.alto, s.alto_credential, question, "yes", mandate))
    at = recall_delegate(s.alto, s.alto_delegate)
    s.fed.clock = max(s.fed.clock, at)
    # when
    s.fed.act("eva", CITED, _withdrawal(s, at))
    # then the voice cast before the recall stands; no later vote on that seat is taken
    assert s.fed.state.questions[question].votes == {s.alto.log: "yes"}
    later = open_federation_question(s.fed, by=s.bajo_delegate, voting_ms=10 * DAY_MS)
    assert (
        s.fed.rejects(s.alto_delegate, VOTED, vote_content(s.alto, s.alto_credential, later, "abstain"))
        == "not_seated"
    )


def test_a_question_stays_open_to_recalls_for_the_grace_time_and_a_late_citation_changes_nothing() -> None:
    # given a voice cast after the recall, and the deadline passed
    s, question, mandate = _voting(days=1)
    at = recall_delegate(s.alto, s.alto_delegate)
    s.fed.clock = max(s.fed.clock, at)
    s.fed.act(s.alto_delegate, VOTED, vote_content(s.alto, s.alto_credential, question, "yes", mandate))
    s.fed.clock = s.fed.state.questions[question].deadline + 1000
    # when a delegate tries to close within the grace time, then after it, and the recall is cited late
    early = s.fed.rejects(s.bajo_delegate, "question.closed", {"question": question})
    close_after_grace(s.fed, question)
    s.fed.act("eva", CITED, _withdrawal(s, at))
    # then
    assert early == "question_still_open"
    assert s.fed.state.questions[question].votes == {s.alto.log: "yes"}


def test_the_home_states_only_a_withdrawal_its_rules_decided_and_the_federation_takes_it_once() -> None:
    # given
    s, _, _ = _voting()
    other = "bea" if s.alto_delegate != "bea" else "ana"
    content = {"federation": s.fed.log, "credential": s.alto_credential.seq, "at": s.alto.clock}
    not_recalled = s.alto.rejects(other, WITHDRAWN, content)
    at = recall_delegate(s.alto, s.alto_delegate)
    wrong_time = s.alto.rejects(other, WITHDRAWN, {**content, "at": at - 1})
    s.fed.clock = max(s.fed.clock, at)
    cited = _withdrawal(s, at)
    s.fed.act("eva", CITED, cited)
    # when
    twice = s.fed.rejects("flor", CITED, cited)
    credential_instead = {
        "cites": [cite(s.alto, s.alto_credential).as_json()],
        "withdrawn": s.alto.bodies[s.alto_credential.act.body].content(),
    }
    # then
    assert not_recalled == wrong_time == "not_withdrawn"
    assert twice == "recall_already_cited"
    assert s.fed.rejects("flor", CITED, credential_instead) == "not_a_withdrawal"
