"""A federation's plenary: convened by petition as a meeting, opened with quorum or postponed (plenary.py),
and petitions whose backings lapse after the charter's `petition_days` (petitions.py)."""

from typing import Any

from ayllu.core.charter.rules import DAY_MS
from ayllu.core.federations.petitions import list_petitions
from ayllu.core.federations.plenary import PLENARY_TITLE, list_plenaries
from factories.assemblies import Assembly, replay_all
from factories.federations import back_petition, cite, petition_content, seated_delegate, three_homes

CITED = "federation.petition_cited"
PRESENT = "federation.plenary_present"
OPENED = "federation.plenary_opened"
HOUR_MS = 3_600_000


def _convene(homes: list[Assembly], fed: Assembly, starts: int) -> int:
    """Two member assemblies decide to convene a plenary for `starts`; return the completing entry's seq."""
    for home in homes[:2]:
        backing = back_petition(home, fed.log, "convene", starts=starts)
        fed.clock = max(fed.clock, home.clock)
        fed.act("stranger", CITED, petition_content(home, backing))
    return fed.entries[-1].seq


def _presence(fed: Assembly, home: Assembly) -> tuple[str, dict[str, Any]]:
    """`home`'s seated delegate (seating one first) and the body of their presence, without a meeting."""
    delegate, credential = seated_delegate(fed, home)
    return delegate, {"cites": [cite(home, credential).as_json()]}


def _seat_all(homes: list[Assembly], fed: Assembly) -> list[tuple[str, dict[str, Any]]]:
    return [_presence(fed, home) for home in homes]


def test_a_completed_petition_creates_the_plenary_as_a_meeting_with_no_office_holder() -> None:
    # given three member assemblies, none holding an office
    homes, fed = three_homes(petition_assemblies=2)
    starts = fed.clock + 10 * DAY_MS
    # when two of them decide to convene a plenary and a stranger cites their decisions
    seq = _convene(homes, fed, starts)
    # then the federation has a meeting for that date, convened by petition, and a plenary for it
    meeting = fed.state.meetings[seq]
    assert (meeting.starts, meeting.by_petition, meeting.title) == (starts, True, PLENARY_TITLE)
    assert seq in fed.state.open_meetings
    assert [p.meeting for p in list_plenaries(fed.state, now=fed.clock)] == [seq]
    # and every replica reaches the same meeting
    again = replay_all(fed.log, fed.entries, fed.bodies)
    assert again.meetings[seq].starts == starts and again.offices.sittings[seq].starts == starts


def test_a_plenary_is_convened_only_within_the_charters_notice() -> None:
    # given a charter asking at least 3 and at most 20 days' notice
    plenary = {"min_notice_days": 3, "max_notice_days": 20}
    homes, fed = three_homes(petition_assemblies=2, plenary=plenary)
    soon, far = fed.clock + 2 * DAY_MS, fed.clock + 25 * DAY_MS
    # when the second assembly's decision would complete a petition for too soon, or too far
    codes = []
    for starts in (soon, far):
        first = back_petition(homes[0], fed.log, "convene", starts=starts)
        fed.act("stranger", CITED, petition_content(homes[0], first))
        second = back_petition(homes[1], fed.log, "convene", starts=starts)
        codes.append(fed.rejects("stranger", CITED, petition_content(homes[1], second)))
    # then both are refused and no meeting exists
    assert codes == ["plenary_too_soon", "plenary_too_far"]
    assert not fed.state.meetings and not fed.state.offices.sittings


def test_a_plenary_without_quorum_is_postponed_and_the_second_call_opens_it() -> None:
    # given a charter asking two thirds of the member assemblies, postponing by 30 days
    plenary = {"quorum": "2/3", "postpone_days": 30, "wait_minutes": 60}
    homes, fed = three_homes(petition_assemblies=2, plenary=plenary)
    seats = _seat_all(homes, fed)
    starts = fed.clock + 10 * DAY_MS
    meeting = _convene(homes, fed, starts)
    # when, at the start, only one assembly's delegate signs presence
    fed.clock = starts
    delegate, body = seats[0]
    fed.act(delegate, PRESENT, {"meeting": meeting, **body})
    # then opening is refused while the charter's wait lasts
    assert fed.rejects("stranger", OPENED, {"meeting": meeting}) == "plenary_no_quorum_yet"
    # and after it, anyone's opening postpones the plenary by 30 days, with nobody present
    fed.clock = starts + HOUR_MS
    fed.act("stranger", OPENED, {"meeting": meeting})
    later = starts + 30 * DAY_MS
    assert fed.state.meetings[meeting].starts == later
    sitting = fed.state.offices.sittings[meeting]
    assert (sitting.sitting, sitting.present, sitting.opened_seq) == (2, {}, 0)
    # when, at the postponed sitting, one assembly is present (the second call asks no quorum)
    assert fed.rejects(delegate, PRESENT, {"meeting": meeting, **body}) == "meeting_not_started"
    fed.clock = later
    fed.act(delegate, PRESENT, {"meeting": meeting, **body})
    opened = fed.act("stranger", OPENED, {"meeting": meeting})
    # then it opens, and every replica agrees
    assert fed.state.offices.sittings[meeting].opened_seq == opened.seq
    again = replay_all(fed.log, fed.entries, fed.bodies)
    assert list_plenaries(again, now=fed.clock) == list_plenaries(fed.state, now=fed.clock)
    assert list_plenaries(again, now=fed.clock)[0].postponed[0].moved_from == starts


def test_a_plenary_with_quorum_opens_counting_assemblies_not_delegates() -> None:
    # given a quorum of two thirds and a second call that still asks for it
    plenary = {"quorum": "2/3", "second_quorum": "2/3"}
    homes, fed = three_homes(petition_assemblies=2, plenary=plenary)
    seats = _seat_all(homes, fed)
    starts = fed.clock + 10 * DAY_MS
    meeting = _convene(homes, fed, starts)
    fed.clock = starts
    # when one assembly's delegate signs twice, and a key with no seat tries
    delegate, body = seats[0]
    fed.act(delegate, PRESENT, {"meeting": meeting, **body})
    twice = fed.rejects(delegate, PRESENT, {"meeting": meeting, **body})
    unseated = fed.rejects("stranger", PRESENT, {"meeting": meeting, **body})
    not_plenary = fed.rejects(delegate, PRESENT, {"meeting": meeting + 100, **body})
    # then each is refused, one assembly is not two thirds, and a second assembly makes the quorum
    assert (twice, unseated, not_plenary) == ("already_present", "not_seated", "not_a_plenary")
    assert fed.rejects("stranger", OPENED, {"meeting": meeting}) == "plenary_no_quorum_yet"
    other, other_body = seats[1]
    fed.act(other, PRESENT, {"meeting": meeting, **other_body})
    fed.act("stranger", OPENED, {"meeting": meeting})
    assert fed.rejects("stranger", OPENED, {"meeting": meeting}) == "plenary_already_open"
    shown = list_plenaries(fed.state, now=fed.clock)[0]
    assert sorted(shown.present) == sorted([homes[0].log, homes[1].log]) and shown.needs == 2


def test_a_charter_without_a_plenary_block_asks_no_quorum() -> None:
    # given today's charters (no `plenary` block)
    homes, fed = three_homes(petition_assemblies=2)
    meeting = _convene(homes, fed, fed.clock + 10 * DAY_MS)
    fed.clock = fed.state.meetings[meeting].starts
    # when nobody is present and anyone opens it
    fed.act("stranger", OPENED, {"meeting": meeting})
    # then it opens: no quorum, nothing postponed
    assert fed.state.offices.sittings[meeting].opened_seq == fed.entries[-1].seq


def test_a_backing_older_than_the_charters_petition_days_no_longer_counts() -> None:
    # given a charter whose petitions' backings count for 10 days, and two assemblies needed
    homes, fed = three_homes(petition_assemblies=2, petition_days=10)
    starts = fed.clock + 40 * DAY_MS
    first = back_petition(homes[0], fed.log, "convene", starts=starts)
    fed.clock = max(fed.clock, homes[0].clock)
    fed.act("stranger", CITED, petition_content(homes[0], first))
    shown = list_petitions(fed.state, now=fed.clock)[0]
    assert shown.expires == homes[0].entries[first.seq - 1].time + 10 * DAY_MS
    # when 11 days pass and a second assembly's decision is cited
    fed.clock += 11 * DAY_MS
    homes[1].clock = fed.clock
    second = back_petition(homes[1], fed.log, "convene", starts=starts)
    fed.clock = max(fed.clock, homes[1].clock)
    fed.act("stranger", CITED, petition_content(homes[1], second))
    # then the first backing no longer counts: no plenary, one backer shown
    assert not fed.state.offices.sittings
    assert list_petitions(fed.state, now=fed.clock)[0].backers == (homes[1].log,)
    # and the old backing cited again is refused, while a fresh decision of that assembly completes it
    assert fed.rejects("stranger", CITED, petition_content(homes[0], first)) == "petition_backing_lapsed"
    homes[0].clock = fed.clock
    fresh = back_petition(homes[0], fed.log, "convene", starts=starts)
    fed.clock = max(fed.clock, homes[0].clock)
    fed.act("stranger", CITED, petition_content(homes[0], fresh))
    assert list(fed.state.offices.sittings) == [fed.entries[-1].seq]
    again = replay_all(fed.log, fed.entries, fed.bodies)
    assert list_petitions(again, now=fed.clock) == list_petitions(fed.state, now=fed.clock)
