"""The recall vote after a suspension by petition: member assemblies confirm it (the office ends, the next
turn passes by rotation) or lift it (recall_vote.py)."""

from typing import Any

from ayllu.core.charter.rules import DAY_MS
from ayllu.core.federations.offices import current_term
from ayllu.core.federations.recall_vote import list_recall_votes
from factories.assemblies import Assembly, replay_all
from factories.federations import (
    accredit_office,
    back_petition,
    give_office_cargo,
    home_of,
    office_content,
    pass_days,
    petition_content,
    seated_delegate,
    state_mandate,
    three_homes,
    vote_content,
)
from factories.keys import pub

CITED = "federation.petition_cited"
VOTED = "federation.recall_voted"
CLOSED = "federation.recall_closed"


def _suspended(**federation: Any) -> tuple[list[Assembly], Assembly, Assembly, str, int]:
    """Three homes; the convenor named by the assembly whose turn it is, then suspended by the other two.
    Return the homes, the federation, the convenor's home, the convenor and the suspending entry's seq."""
    homes, fed = three_homes(petition_assemblies=2, **federation)
    pass_days(fed, days=1)
    term = current_term(fed.state.offices, "convenor", now=fed.clock)
    assert term is not None
    home = home_of(homes, term.assembly)
    holder = give_office_cargo(home, fed.log, "convenor")
    fed.clock = max(fed.clock, home.clock)
    credential = accredit_office(home, holder, fed.log, "convenor")
    fed.act("ana", "federation.office_taken", office_content(home, credential))
    for other in (h for h in homes if h is not home):
        backing = back_petition(other, fed.log, "suspend", office="convenor", holder=pub(holder))
        fed.clock = max(fed.clock, other.clock)
        fed.act("stranger", CITED, petition_content(other, backing))
    return homes, fed, home, holder, fed.entries[-1].seq


def _voice(fed: Assembly, home: Assembly, recall: int, choice: str) -> dict[str, Any]:
    """`home` decides its mandate on the recall vote and states it; the body its delegate casts."""
    delegate, credential = seated_delegate(fed, home)
    mandate = state_mandate(home, fed.log, recall, choice)
    fed.clock = max(fed.clock, home.clock)
    content = vote_content(home, credential, recall, choice, mandate)
    content["recall"] = content.pop("question")
    return {"delegate": delegate, "content": content}


def _close(fed: Assembly, recall: int) -> None:
    rules = fed.state.rules.federation
    assert rules is not None
    fed.clock = max(fed.clock, fed.state.offices.recall_votes[recall].deadline + rules.recall_grace_ms)
    fed.act("stranger", CLOSED, {"recall": recall})


def test_member_assemblies_confirm_a_suspension_and_the_next_turn_passes_by_rotation() -> None:
    # given a convenor suspended by two assemblies' petition, with a 7-day recall vote
    homes, fed, home, _, recall = _suspended(recall_vote_days=7)
    others = [h for h in homes if h is not home]
    # when both other assemblies' delegates vote "confirm" under their stated mandates
    for other in others:
        voice = _voice(fed, other, recall, "confirm")
        fed.act(voice["delegate"], VOTED, voice["content"])
    # then the vote cannot close before its deadline and the recall grace time
    assert fed.rejects("stranger", CLOSED, {"recall": recall}) == "question_still_open"
    # when anyone closes it after them
    _close(fed, recall)
    closed = fed.clock
    # then the suspension is confirmed: the holder's office and the term end there
    term = next(t for t in fed.state.offices.terms["convenor"] if t.assembly == home.log)
    assert (term.end, term.holders[-1].until) == (closed, closed)
    assert list_recall_votes(fed.state, now=closed)[0].outcome == "confirmed"
    # and the next term starts by rotation, another assembly's turn
    pass_days(fed, days=1)
    following = current_term(fed.state.offices, "convenor", now=fed.clock)
    assert following is not None and following.start == closed and following.assembly != home.log
    # and every replica agrees
    again = replay_all(fed.log, fed.entries, fed.bodies)
    assert list_recall_votes(again, now=fed.clock) == list_recall_votes(fed.state, now=fed.clock)


def test_a_recall_vote_without_enough_confirmations_lifts_the_suspension() -> None:
    # given a suspended convenor and one assembly voting "confirm", another "lift"
    homes, fed, home, holder, recall = _suspended(recall_vote_days=7)
    others = [h for h in homes if h is not home]
    for other, choice in zip(others, ("confirm", "lift"), strict=True):
        voice = _voice(fed, other, recall, choice)
        fed.act(voice["delegate"], VOTED, voice["content"])
    # when the vote is closed
    _close(fed, recall)
    # then the suspension is lifted: the convenor holds the office again
    term = current_term(fed.state.offices, "convenor", now=fed.clock)
    assert term is not None and term.holder(now=fed.clock) is not None
    assert term.holder(now=fed.clock).key == pub(holder)  # type: ignore[union-attr]
    assert list_recall_votes(fed.state, now=fed.clock)[0].outcome == "lifted"


def test_a_recall_vote_refuses_a_voice_against_the_mandate_twice_or_too_late() -> None:
    # given
    homes, fed, home, _, recall = _suspended(recall_vote_days=7)
    other = next(h for h in homes if h is not home)
    voice = _voice(fed, other, recall, "confirm")
    # when the delegate casts the contrary choice, then the mandated one twice, then after the deadline
    contrary = fed.rejects(voice["delegate"], VOTED, {**voice["content"], "choice": "lift"})
    fed.act(voice["delegate"], VOTED, voice["content"])
    twice = fed.rejects(voice["delegate"], VOTED, voice["content"])
    unknown = fed.rejects(voice["delegate"], VOTED, {**voice["content"], "recall": recall + 50})
    fed.clock = fed.state.offices.recall_votes[recall].deadline + 1
    late = fed.rejects(voice["delegate"], VOTED, voice["content"])
    # then
    assert (contrary, twice, unknown) == ("contrary_to_mandate", "already_voted", "not_a_recall_vote")
    assert late == "vote_after_deadline"


def test_without_recall_vote_days_the_suspension_lasts_to_the_end_of_the_term() -> None:
    # given today's charters: no recall vote
    _, fed, _, _, recall = _suspended()
    # then no vote is opened, and closing one is refused
    assert not fed.state.offices.recall_votes
    fed.clock += 30 * DAY_MS
    assert fed.rejects("stranger", CLOSED, {"recall": recall}) == "not_a_recall_vote"
