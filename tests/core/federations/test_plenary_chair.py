"""A plenary's chair (decision 0030): once the sitting opened with quorum, a delegate present at it
takes the chair, first come; the chair runs the floor and closes the meeting; nobody else does."""

from typing import Any

from ayllu.core.charter.rules import DAY_MS
from ayllu.core.federations.plenary import list_plenaries
from factories.assemblies import Assembly, replay_all
from factories.federations import (
    accredit,
    back_petition,
    cite,
    give_federation_cargo,
    petition_content,
    seat_content,
    seated_delegate,
    three_homes,
)
from factories.keys import pub

CITED = "federation.petition_cited"
PRESENT = "federation.plenary_present"
OPENED = "federation.plenary_opened"
CHAIRED = "federation.plenary_chaired"


def _plenary(**plenary: Any) -> tuple[list[Assembly], Assembly, list[tuple[str, dict[str, Any]]], int]:
    """Three member assemblies with a delegate seated each; two convene a plenary; the clock at its start."""
    homes, fed = three_homes(petition_assemblies=2, plenary=plenary)
    seats = []
    for home in homes:
        delegate, credential = seated_delegate(fed, home)
        seats.append((delegate, {"cites": [cite(home, credential).as_json()]}))
    starts = fed.clock + 10 * DAY_MS
    for home in homes[:2]:
        backing = back_petition(home, fed.log, "convene", starts=starts)
        fed.clock = max(fed.clock, home.clock)
        fed.act("stranger", CITED, petition_content(home, backing))
    meeting = fed.entries[-1].seq
    fed.clock = starts
    return homes, fed, seats, meeting


def test_a_delegate_present_takes_the_chair_of_the_opened_plenary_and_closes_it() -> None:
    _, fed, seats, meeting = _plenary(quorum="1/2")
    (first, first_body), (second, second_body), (third, _) = seats
    fed.act(first, PRESENT, {"meeting": meeting, **first_body})
    fed.act(second, PRESENT, {"meeting": meeting, **second_body})
    # before the sitting opens, nobody takes the chair
    assert fed.rejects(first, CHAIRED, {"meeting": meeting}) == "plenary_not_open"
    fed.act("stranger", OPENED, {"meeting": meeting})
    # a stranger, a founder who holds no seat, and a delegate not present are refused
    assert fed.rejects("stranger", CHAIRED, {"meeting": meeting}) == "not_a_seated_delegate"
    assert fed.rejects(third, CHAIRED, {"meeting": meeting}) == "not_present"
    # when the second delegate present takes the chair first, it is theirs; the first is refused
    fed.act(second, CHAIRED, {"meeting": meeting})
    assert fed.state.meetings[meeting].chair == pub(second)
    assert fed.rejects(first, CHAIRED, {"meeting": meeting}) == "plenary_already_chaired"
    (listed,) = list_plenaries(fed.state, now=fed.clock)
    assert listed.chair == pub(second) and listed.chair_seq == fed.entries[-1].seq
    # the floor works: a delegate present at the plenary is present at its meeting and asks for the floor
    fed.act(first, "speaker.queued", {"meeting": meeting})
    fed.act(second, "speaker.called", {"meeting": meeting, "member": pub(first)})
    # only the chair closes the meeting, and the plenary with it
    assert fed.rejects(first, "meeting.closed", {"meeting": meeting}) == "not_chair"
    fed.act(second, "meeting.closed", {"meeting": meeting})
    assert fed.state.meetings[meeting].closed_seq
    assert fed.rejects(first, CHAIRED, {"meeting": meeting}) == "plenary_closed"
    again = replay_all(fed.log, fed.entries, fed.bodies)
    assert again.meetings[meeting].chair == pub(second) and again.meetings[meeting].closed_seq


def test_a_chair_whose_seat_ended_leaves_the_chair_to_another_delegate_present() -> None:
    homes, fed, seats, meeting = _plenary()
    (first, first_body), (second, second_body), _ = seats
    fed.act(first, PRESENT, {"meeting": meeting, **first_body})
    fed.act(second, PRESENT, {"meeting": meeting, **second_body})
    fed.act("stranger", OPENED, {"meeting": meeting})
    fed.act(first, CHAIRED, {"meeting": meeting})
    assert fed.rejects(second, CHAIRED, {"meeting": meeting}) == "plenary_already_chaired"
    # when alto seats another delegate in the chair's place
    home = homes[0]
    home.clock = max(home.clock, fed.clock)
    other = give_federation_cargo(home, fed.log, cargo="delegado_2")
    credential = accredit(home, other, fed.log)
    fed.clock = max(fed.clock, home.clock)
    fed.act(other, "federation.seated", seat_content(home, credential, replaces=first))
    # then the chair no longer acts, and another delegate present takes the chair
    assert fed.rejects(first, "meeting.closed", {"meeting": meeting}) == "not_a_seated_delegate"
    fed.act(second, CHAIRED, {"meeting": meeting})
    assert fed.state.meetings[meeting].chair == pub(second)
    fed.act(second, "meeting.closed", {"meeting": meeting})


def test_a_postponed_plenary_sends_everybody_home() -> None:
    _, fed, seats, meeting = _plenary(quorum="1/1", wait_minutes=1)
    (first, first_body), _, _ = seats
    fed.act(first, PRESENT, {"meeting": meeting, **first_body})
    assert pub(first) in fed.state.meetings[meeting].present
    fed.clock += 2 * 60_000
    fed.act("stranger", OPENED, {"meeting": meeting})
    assert not fed.state.meetings[meeting].present
    assert fed.rejects(first, "speaker.queued", {"meeting": meeting}) == "not_present"
