"""A federation's offices pass by turn among its member assemblies; each names its holder at home."""

from itertools import pairwise

from ayllu.core.charter.rules import DAY_MS
from ayllu.core.federations.office_concentration import get_office_concentration
from ayllu.core.federations.offices import at_moment, current_term, list_office_terms, list_offices
from factories.assemblies import replay_all
from factories.federations import (
    accredit_office,
    give_office_cargo,
    home_of,
    office_content,
    pass_days,
    three_homes,
)
from factories.keys import pub

TAKEN = "federation.office_taken"


def _turns(fed_state: object, office: str) -> list[str]:
    return [t.assembly for t in list_office_terms(fed_state) if t.office == office]  # type: ignore[arg-type]


def test_offices_pass_by_turn_among_member_assemblies_and_terms_end_by_themselves() -> None:
    # given a federation of three assemblies with a convenor and a spokesperson, 30 days each
    homes, fed = three_homes()
    # when 180 days pass with nobody's act but the passing of time
    for _ in range(6):
        pass_days(fed, days=30)
    # then each office had six terms, one after the other, with no gap
    convenors = [t for t in list_office_terms(fed.state) if t.office == "convenor"]
    assert len(convenors) == 7
    assert all(a.end == b.start for a, b in pairwise(convenors))
    # and every assembly serves before any serves twice, never two terms in a row
    turns = _turns(fed.state, "convenor")
    assert sorted(turns[:3]) == sorted(h.log for h in homes)
    assert all(a != b for a, b in pairwise(turns))
    # and no assembly holds the convenor and the spokesperson at once (one office per assembly)
    for term in convenors:
        spoke = current_term(fed.state.offices, "spokesperson", now=term.start)
        assert spoke is not None and spoke.assembly != term.assembly


def test_the_turn_is_the_same_on_every_replica() -> None:
    # given
    _, fed = three_homes()
    for _ in range(4):
        pass_days(fed, days=20)
    # when the federation is replayed from scratch
    again = replay_all(fed.log, fed.entries, fed.bodies)
    # then every term went to the same assembly, at the same moment
    assert _turns(again, "convenor") == _turns(fed.state, "convenor")
    assert _turns(again, "spokesperson") == _turns(fed.state, "spokesperson")


def test_the_assembly_whose_turn_it_is_names_the_holder_by_its_credential() -> None:
    # given the convenor's first term is some assembly's turn
    homes, fed = three_homes()
    pass_days(fed, days=1)
    term = current_term(fed.state.offices, "convenor", now=fed.clock)
    assert term is not None
    home = home_of(homes, term.assembly)
    # when that assembly gives the office's cargo by its decision, the holder issues a credential,
    # and anyone cites it into the federation
    holder = give_office_cargo(home, fed.log, "convenor")
    credential = accredit_office(home, holder, fed.log, "convenor", days=60)
    fed.act("ana", TAKEN, office_content(home, credential))
    # then the holder is the credential's signer, until the term ends (before their credential does)
    named = current_term(fed.state.offices, "convenor", now=fed.clock)
    assert named is not None and named.holder(now=fed.clock) is not None
    assert named.holders[-1].key == pub(holder) and named.holders[-1].until == named.end
    # and every replica agrees
    again = replay_all(fed.log, fed.entries, fed.bodies)
    assert current_term(again.offices, "convenor", now=fed.clock).holders[-1].key == pub(holder)  # type: ignore[union-attr]
    # and the office is the next assembly's when the term ends, with nobody holding it
    pass_days(fed, days=30)
    after = current_term(fed.state.offices, "convenor", now=fed.clock)
    assert after is not None and after.assembly != home.log and after.holder(now=fed.clock) is None


def test_an_assembly_whose_turn_it_is_not_cannot_name_the_holder() -> None:
    # given
    homes, fed = three_homes()
    pass_days(fed, days=1)
    term = current_term(fed.state.offices, "convenor", now=fed.clock)
    assert term is not None
    other = next(h for h in homes if h.log != term.assembly)
    holder = give_office_cargo(other, fed.log, "convenor")
    credential = accredit_office(other, holder, fed.log, "convenor")
    # when
    code = fed.rejects("ana", TAKEN, office_content(other, credential))
    # then
    assert code == "not_assemblys_turn"


def test_an_office_credential_needs_the_office_cargo_at_home() -> None:
    # given
    homes, fed = three_homes()
    home = homes[0]
    holder = give_office_cargo(home, fed.log, "convenor")
    other = next(n for n in ("ana", "bea", "carla") if n != holder)
    content = {"federation": fed.log, "office": "convenor", "until": home.clock + DAY_MS}
    # when another member, or the holder for the other office or past their cargo, issues one
    refused = home.rejects(other, "office.accredited", content)
    other_office = home.rejects(holder, "office.accredited", {**content, "office": "spokesperson"})
    too_long = home.rejects(holder, "office.accredited", {**content, "until": home.clock + 200 * DAY_MS})
    # then
    assert refused == other_office == too_long == "no_office_cargo"


def test_a_credential_names_one_holder_once_and_for_its_own_office() -> None:
    # given the convenor's holder named once
    homes, fed = three_homes()
    pass_days(fed, days=1)
    term = current_term(fed.state.offices, "convenor", now=fed.clock)
    assert term is not None
    home = home_of(homes, term.assembly)
    holder = give_office_cargo(home, fed.log, "convenor")
    credential = accredit_office(home, holder, fed.log, "convenor")
    fed.act("ana", TAKEN, office_content(home, credential))
    # when the same credential is cited again, or a delegate's credential is cited as an office's
    again = fed.rejects("dora", TAKEN, office_content(home, credential))
    content = office_content(home, credential)
    content["credential"] = {**content["credential"], "office": "spokesperson"}
    forged_body = fed.rejects("dora", TAKEN, content)
    # then
    assert again == "credential_used"
    assert forged_body == "not_an_office_credential"


def test_the_page_read_shows_the_running_term_and_the_next_turns() -> None:
    # given
    _, fed = three_homes()
    pass_days(fed, days=1)
    # when
    offices = list_offices(at_moment(fed.state, now=fed.clock), now=fed.clock)
    # then each office shows whose turn it is now and the next three turns, each to another assembly
    convenor = next(o for o in offices if o.office == "convenor")
    assert convenor.current is not None and convenor.current.assembly in fed.state.member_assemblies
    coming = [t.assembly for t in convenor.next]
    assert len(coming) == 3 and coming[0] != convenor.current.assembly
    assert convenor.next[0].start == convenor.current.end


def test_concentration_counts_offices_per_assembly_and_per_person_across_levels() -> None:
    # given a federation whose convenor was named, and a federation below it where the same person holds one
    homes, fed = three_homes()
    pass_days(fed, days=1)
    term = current_term(fed.state.offices, "convenor", now=fed.clock)
    assert term is not None
    home = home_of(homes, term.assembly)
    holder = give_office_cargo(home, fed.log, "convenor")
    fed.act("ana", TAKEN, office_content(home, accredit_office(home, holder, fed.log, "convenor")))
    lower_homes, lower = three_homes(petition_assemblies=3)
    pass_days(lower, days=1)
    lower_term = current_term(lower.state.offices, "convenor", now=lower.clock)
    assert lower_term is not None
    lower_home = home_of(lower_homes, lower_term.assembly)
    lower_holder = give_office_cargo(lower_home, lower.log, "convenor")
    credential = accredit_office(lower_home, lower_holder, lower.log, "convenor")
    lower.act("ana", TAKEN, office_content(lower_home, credential))
    pass_days(fed, days=60)
    # when
    found = get_office_concentration(fed.state, now=fed.clock, below=(lower.state,))
    # then every term started counts for the assembly whose turn it was, weighted by the office's burden
    started = [t for t in list_office_terms(fed.state) if t.start <= fed.clock]
    assert sum(a.terms for a in found.assemblies) == len(started)
    assert sum(a.load for a in found.assemblies) == sum(2 if t.office == "convenor" else 1 for t in started)
    assert {a.assembly for a in found.assemblies} == set(fed.state.member_assemblies)
    # and the person counts here, and the one in the federation below counts there
    persons = {p.key: p for p in found.persons}
    assert persons[pub(holder)].here == 1
    assert persons[pub(lower_holder)].below == 1
    assert found.assembly_measure.total == sum(a.load for a in found.assemblies)
