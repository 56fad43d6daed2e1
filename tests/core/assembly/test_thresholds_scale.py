"""Counts of members that scale with the assembly, and charters that ask for more members than there
are (docs/decisions/0008-thresholds-that-scale.md)."""

import pytest

from ayllu.core.charter.rules import (
    COUNTS,
    SCALED_SHARES,
    default_charter_data,
    founding_charter_data,
    parse_charter,
)
from ayllu.core.errors import DomainError
from factories.assemblies import Assembly, decide
from factories.charters import quick_charter
from factories.keys import pub

NAMES = ["ana", "bea", "carla", "dora", "eva", "flor", "gina", "hilda", "ines", "juana"]


@pytest.mark.parametrize(
    ("members", "sponsors", "vouchers", "petition", "recall"),
    [(1, 1, 1, 1, 1), (2, 1, 1, 1, 1), (3, 2, 2, 2, 2), (4, 2, 2, 2, 2), (8, 2, 3, 4, 4), (10, 2, 3, 5, 5)],
)
def test_the_founding_charter_asks_for_a_share_of_the_members_never_more_than_its_numbers(
    members: int, sponsors: int, vouchers: int, petition: int, recall: int
) -> None:
    # given
    charter = parse_charter(founding_charter_data())
    # when
    needed = {name: charter.needed(name, members=members) for name in COUNTS}
    # then
    assert needed == {
        "sponsors": sponsors,
        "vouchers": vouchers,
        "petition": petition,
        "recall": recall,
        "cosigners": 0,  # any member brings a proposal to a vote
    }


def test_a_charter_without_scaled_counts_asks_for_its_numbers_whatever_the_size() -> None:
    # given: a charter written before counts scaled
    charter = parse_charter(default_charter_data())
    # then
    assert charter.needed("petition", members=4) == 5 and charter.needed("vouchers", members=3) == 3


def test_four_members_convene_a_meeting_by_petition_under_the_founding_charter() -> None:
    # given: the dead end of issue 13 ("4 de 5 firmas" for ever)
    asm = Assembly.found(NAMES[:4], charter=founding_charter_data())
    # when: two of four sign
    petition = asm.act("bea", "meeting.petitioned", {"purpose": "Agua"}).seq
    asm.act("carla", "meeting.petitioned", {"petition": petition})
    # then: the meeting opened
    assert petition in asm.state.meetings


def test_three_founders_recover_a_lost_device_with_the_two_others_vouching() -> None:
    # given
    asm = Assembly.found(NAMES[:3], charter=founding_charter_data())
    asm.act("ana-phone-2", "member.key_claimed", {"member": pub("ana")})
    # when
    asm.act("bea", "member.key_vouched", {"key": pub("ana-phone-2")})
    asm.act("carla", "member.key_vouched", {"key": pub("ana-phone-2")})
    # then
    assert asm.state.members[pub("ana")].key == pub("ana-phone-2")


@pytest.mark.parametrize(
    ("change", "reason", "needed", "could"),
    [
        ({"petition": {"signatures": 5}}, "petition", 5, 3),
        ({"recall": {"petition": 4, "threshold": "1/2"}}, "recall", 4, 3),
        ({"key_replacement": {"by": "vouching", "vouchers": 3}}, "vouchers", 3, 2),
        ({"admission": {"by": "sponsorship", "sponsors": 4}}, "sponsors", 4, 3),
        ({"tabling": {"by": "cosigned", "cosigners": 3}}, "cosigners", 3, 2),
    ],
)
def test_a_founding_asking_for_more_members_than_it_has_is_refused_naming_the_count(
    change: dict[str, object], reason: str, needed: int, could: int
) -> None:
    # given: a scaled charter, but one count fixed beyond three founders' reach
    charter = founding_charter_data() | change
    scaled = {k: v for k, v in charter["scaled"].items() if k != reason}  # type: ignore[attr-defined]
    charter["scaled"] = scaled
    # when
    with pytest.raises(DomainError) as refused:
        Assembly.found(NAMES[:3], charter=charter)
    # then
    assert refused.value.code == "threshold_out_of_reach"
    assert refused.value.detail == {"reason": reason, "needed": needed, "members": could}


def test_an_old_charter_out_of_reach_still_replays_as_before() -> None:
    # given: a founding written before decision 0008, five signatures for three founders
    asm = Assembly.found(NAMES[:3], charter=default_charter_data())
    # then: accepted, and its numbers are the ones it wrote
    assert asm.state.rules.needed("petition", members=3) == 5


def test_an_amendment_dropping_the_scaled_counts_out_of_reach_is_refused_when_tabled() -> None:
    # given: four members under the founding charter
    asm = Assembly.found(NAMES[:4], charter=founding_charter_data())
    amended = default_charter_data()  # fixed 5 signatures, 3 vouchers
    # when
    code = asm.rejects(
        "ana",
        "proposal.tabled",
        {"matter": "charter_amendment", "title": "t", "text": "", "effect": {"charter": amended}},
    )
    # then
    assert code == "threshold_out_of_reach"


def test_an_amendment_in_reach_passes_and_members_leaving_lower_what_a_scaled_count_needs() -> None:
    # given: eight members; the charter asks for at most four signatures
    quick = quick_charter(scaled=dict(SCALED_SHARES))
    asm = Assembly.found(NAMES[:8], charter=quick)
    amended = quick | {"petition": {"signatures": 4}}
    decide(asm, "charter_amendment", {"charter": amended})
    assert asm.state.rules.needed("petition", members=asm.state.active_count) == 4
    # when: four leave
    for name in NAMES[4:8]:
        asm.act(name, "member.left", {})
    # then: half of the four left may convene
    assert asm.state.rules.needed("petition", members=asm.state.active_count) == 2


def test_a_scaled_block_names_only_known_counts_with_shares() -> None:
    # then
    with pytest.raises(DomainError) as unknown:
        parse_charter(founding_charter_data() | {"scaled": {"quorum": "1/2"}})
    with pytest.raises(DomainError) as bad:
        parse_charter(founding_charter_data() | {"scaled": {"petition": "3/2"}})
    assert unknown.value.code == bad.value.code == "invalid_charter"


@pytest.mark.parametrize(
    "sortition", [{"panels": 0}, {"panels": 10_001}, {"panels": "1000"}, {"lists": 10}, []]
)
def test_a_charter_states_between_one_and_ten_thousand_panels_for_its_draws(sortition: object) -> None:
    # given / when / then
    assert parse_charter(founding_charter_data()).panels_for_draws() == 1000
    assert parse_charter(founding_charter_data() | {"sortition": {"panels": 10_000}}).draw_panels == 10_000
    with pytest.raises(DomainError) as raised:
        parse_charter(founding_charter_data() | {"sortition": sortition})
    assert raised.value.code == "invalid_charter"
