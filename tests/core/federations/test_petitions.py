"""Overflow petitions: N member assemblies, each by its own decision cited in, act without office holders."""

import pytest

from ayllu.core.federations.offices import current_term
from ayllu.core.federations.petitions import list_petitions, resolution_withdrawn
from factories.assemblies import Assembly, decide, replay_all
from factories.federations import (
    accredit_office,
    back_petition,
    found_home,
    give_office_cargo,
    home_of,
    office_content,
    pass_days,
    petition_content,
    seated_delegate,
    three_homes,
)
from factories.keys import pub

CITED = "federation.petition_cited"


def _convenor_named(homes: list[Assembly], fed: Assembly) -> tuple[Assembly, str]:
    pass_days(fed, days=1)
    term = current_term(fed.state.offices, "convenor", now=fed.clock)
    assert term is not None
    home = home_of(homes, term.assembly)
    holder = give_office_cargo(home, fed.log, "convenor")
    fed.act(
        "ana",
        "federation.office_taken",
        office_content(home, accredit_office(home, holder, fed.log, "convenor")),
    )
    return home, holder


def test_two_of_three_assemblies_suspend_the_convenor_without_any_office_holder() -> None:
    # given a convenor named by the assembly whose turn it was, and a charter asking two assemblies
    homes, fed = three_homes(petition_assemblies=2)
    home, holder = _convenor_named(homes, fed)
    target = {"office": "convenor", "holder": pub(holder)}
    others = [h for h in homes if h is not home]
    # when one other assembly decides to suspend them and its decision is cited in by a stranger's key
    first = back_petition(others[0], fed.log, "suspend", **target)
    fed.act("stranger", CITED, petition_content(others[0], first))
    # then the petition is open and the convenor still holds the office
    term = current_term(fed.state.offices, "convenor", now=fed.clock)
    assert term is not None and term.holder(now=fed.clock) is not None
    assert list_petitions(fed.state)[0].backers == (others[0].log,)
    # when a second assembly's decision is cited
    second = back_petition(others[1], fed.log, "suspend", **target)
    fed.act("stranger", CITED, petition_content(others[1], second))
    # then the holder is suspended from that entry, pending a recall vote, on every replica
    assert term.holder(now=fed.clock) is None and term.holders[-1].suspended == fed.clock
    again = replay_all(fed.log, fed.entries, fed.bodies)
    replayed = current_term(again.offices, "convenor", now=fed.clock)
    assert replayed is not None and replayed.holders[-1].suspended == fed.clock
    assert list_petitions(again) == list_petitions(fed.state)


def test_a_petition_refuses_duplicates_non_members_and_another_federations_decisions() -> None:
    # given
    homes, fed = three_homes(petition_assemblies=3)
    starts = fed.clock + 10 * 86_400_000
    backing = back_petition(homes[0], fed.log, "convene", starts=starts)
    fed.act("stranger", CITED, petition_content(homes[0], backing))
    # when the same assembly's decision is cited again, or a second decision of the same assembly
    again = fed.rejects("stranger", CITED, petition_content(homes[0], backing))
    twice = back_petition(homes[0], fed.log, "convene", starts=starts)
    second = fed.rejects("stranger", CITED, petition_content(homes[0], twice))
    # and an assembly that is not a member, and an entry of one assembly cited as another's
    outsider = found_home(["juana", "karen", "lola"])
    foreign = back_petition(outsider, fed.log, "convene", starts=starts)
    non_member = fed.rejects("stranger", CITED, petition_content(outsider, foreign))
    other = petition_content(homes[0], backing)
    other["assembly"] = homes[1].log
    misnamed = fed.rejects("stranger", CITED, other)
    # then each is refused with its code, and the petition still counts one assembly
    assert (again, second) == ("petition_already_backed", "petition_already_backed")
    assert non_member == "not_a_member_assembly"
    assert misnamed == "cited_other_assembly"
    assert list_petitions(fed.state)[0].backers == (homes[0].log,)


def test_a_backing_needs_the_assemblys_own_decision() -> None:
    # given a home whose assembly decided nothing, or decided "no"
    homes, fed = three_homes()
    home = homes[0]
    content = {"federation": fed.log, "action": "convene", "starts": fed.clock + 86_400_000}
    # when
    undecided = home.rejects("ana", "petition.backed", content)
    question = f"petition:convene:{content['starts']}"
    decide(home, "mandate", {"body": fed.log, "question": question, "position": "no"})
    refused = home.rejects("ana", "petition.backed", content)
    wrong_fields = home.rejects("ana", "petition.backed", {**content, "office": "convenor"})
    # then
    assert undecided == refused == "no_petition_decision"
    assert wrong_fields == "malformed_body"


def test_a_majority_of_member_assemblies_convenes_a_plenary_when_the_charter_names_no_number() -> None:
    # given three member assemblies and no number in the charter: two complete a petition
    homes, fed = three_homes()
    starts = fed.clock + 5 * 86_400_000
    # when two assemblies' decisions to convene a plenary are cited
    for home in homes[:2]:
        fed.act(
            "stranger", CITED, petition_content(home, back_petition(home, fed.log, "convene", starts=starts))
        )
    # then the plenary is convened, and a third decision comes too late
    assert [p[2] for p in fed.state.offices.plenaries] == [starts]
    late = back_petition(homes[2], fed.log, "convene", starts=starts)
    assert fed.rejects("stranger", CITED, petition_content(homes[2], late)) == "petition_complete"


@pytest.mark.parametrize("action", ["withdraw"])
def test_member_assemblies_withdraw_a_resolution(action: str) -> None:
    # given a proposal of the federation (a seated delegate tables it)
    homes, fed = three_homes(petition_assemblies=2)
    resolution = fed.table(seated_delegate(fed, homes[0])[0])
    # when two member assemblies' decisions to withdraw it are cited
    for home in homes[1:]:
        fed.act(
            "stranger",
            CITED,
            petition_content(home, back_petition(home, fed.log, action, resolution=resolution)),
        )
    # then it no longer binds, and an unknown decision cannot be named
    assert resolution_withdrawn(fed.state, resolution) == fed.entries[-1].seq
    unknown = back_petition(homes[0], fed.log, action, resolution=999)
    assert fed.rejects("stranger", CITED, petition_content(homes[0], unknown)) == "unknown_resolution"


def test_a_forged_citation_of_a_decision_is_refused_on_replay() -> None:
    # given a home's real decision, and its citation with a proof that does not hold
    homes, fed = three_homes()
    backing = back_petition(homes[0], fed.log, "convene", starts=fed.clock + 86_400_000)
    content = petition_content(homes[0], backing)
    content["cites"][0]["proof"] = ["00" * 32, *content["cites"][0]["proof"]]
    # and a body other than the one the cited entry signs
    other = petition_content(homes[0], backing)
    other["backing"] = {**other["backing"], "starts": fed.clock + 2 * 86_400_000}
    # when
    forged = fed.rejects("stranger", CITED, content)
    rewritten = fed.rejects("stranger", CITED, other)
    # then
    assert forged.startswith("citation_")
    assert rewritten == "not_a_petition_decision"
    assert not fed.state.offices.petitions
