"""Seated delegates act as the federation's members (decision 0029): founders stop being special once
the founding is done, every member act is checked against a seat standing at the act's own time, the
core's `may` answers for a delegate, assemblies join by the federation's decision and their own and
leave by their own, and a federation's office represents it one level up (zone → district)."""

from typing import Any

import pytest

from ayllu.core.assembly.allowed import may, refusal
from ayllu.core.assembly.rule_errors import InvalidCharter
from ayllu.core.charter.rules import DAY_MS, parse_charter
from ayllu.core.proposals.tabling import ProposalTabled
from factories.assemblies import Assembly, asm_names, decide, replay_all
from factories.charters import cargo_charter
from factories.federation_votes import Delegations, delegations, open_federation_question, recall_delegate
from factories.federations import (
    FEDERATION,
    accredit,
    accredit_office,
    cite,
    close_after_grace,
    federation_decides,
    found_federation,
    found_home,
    give_federation_cargo,
    give_office_cargo,
    home_of,
    office_content,
    seat_content,
    seated_delegate,
    standing_name,
)
from factories.keys import pub

TABLED = "proposal.tabled"
MEMBERSHIP = "federation.membership_cited"


def _tabling(who: str) -> dict[str, Any]:
    return {"matter": "ordinary", "title": f"propuesta de {who}", "text": "", "effect": {}}


def _unseated_founder(s: Delegations) -> str:
    seated = {s.alto_delegate, s.bajo_delegate}
    return next(name for name in ("ana", "dora") if name not in seated) if seated != {"ana", "dora"} else ""


# --- 1. seated delegates act as the federation's members ----------------------------------------------


def test_a_founder_is_no_member_once_the_founding_is_done_and_a_seated_delegate_is() -> None:
    # given a federation of alto and bajo founded by ana and dora, with one delegate of each seated
    alto, bajo = found_home(["ana", "bea", "carla"]), found_home(["dora", "eva", "flor"])
    fed = found_federation({"ana": alto, "dora": bajo})
    # when a founder who holds no seat tables a proposal, it is refused
    assert fed.rejects("ana", TABLED, _tabling("ana")) == "not_a_seated_delegate"
    # and when alto's delegate is seated, they table, open and close the question
    delegate, _ = seated_delegate(fed, alto)
    proposal = fed.table(delegate)
    question = fed.open_question(delegate, proposal, voting_ms=DAY_MS)
    close_after_grace(fed, question, by=delegate)
    assert fed.state.proposals[proposal].author == pub(delegate)
    assert fed.state.questions[question].closed_seq
    # and a replica replaying from nothing agrees
    again = replay_all(fed.log, fed.entries, fed.bodies)
    assert again.questions[question].closed_seq == fed.state.questions[question].closed_seq


def test_the_core_answers_may_for_a_seated_delegate_and_not_for_a_founder() -> None:
    s = delegations()
    act = ProposalTabled.parse(_tabling("x"), seq=0)
    now = s.fed.clock + 1000
    assert may(s.fed.state, key=pub(s.alto_delegate), act=act, time=now)
    founder = _unseated_founder(s)
    if founder:
        error = refusal(s.fed.state, key=pub(founder), act=act, time=now)
        assert error is not None and error.code == "not_a_seated_delegate"
    # a stranger is refused the same way
    error = refusal(s.fed.state, key=pub("lola"), act=act, time=now)
    assert error is not None and error.code == "not_a_seated_delegate"


def test_a_seat_stands_only_until_its_credential_ends_for_every_member_act() -> None:
    # given alto's delegate seated on a credential of 60 days
    s = delegations()
    question = open_federation_question(s.fed, by=s.alto_delegate)
    # when the credential ended, the delegate neither tables nor closes
    s.fed.clock = s.alto_credential.time + 61 * DAY_MS
    assert s.fed.rejects(s.alto_delegate, TABLED, _tabling("x")) == "not_a_seated_delegate"
    assert (
        s.fed.rejects(s.alto_delegate, "question.closed", {"question": question}) == "not_a_seated_delegate"
    )


def test_a_recall_cited_ends_the_delegates_member_acts_from_the_recalls_time_on_every_replica() -> None:
    # given alto recalls its delegate and the withdrawal is cited into the federation
    s = delegations()
    at = recall_delegate(s.alto, s.alto_delegate)
    stater = "bea" if s.alto_delegate != "bea" else "ana"
    entry = s.alto.act(
        stater, "delegate.withdrawn", {"federation": s.fed.log, "credential": s.alto_credential.seq, "at": at}
    )
    s.fed.clock = max(s.fed.clock, s.alto.clock)
    body = s.alto.bodies[entry.act.body].content()
    s.fed.act(
        "lola", "federation.recall_cited", {"cites": [cite(s.alto, entry).as_json()], "withdrawn": body}
    )
    # when the recalled delegate tables a proposal, it is refused; bajo's delegate still tables
    assert s.fed.rejects(s.alto_delegate, TABLED, _tabling("x")) == "not_a_seated_delegate"
    s.fed.table(s.bajo_delegate)
    replay_all(s.fed.log, s.fed.entries, s.fed.bodies)


# --- 2. joining by the federation's decision, leaving by the assembly's own ---------------------------


def _closed_federation() -> tuple[list[Assembly], Assembly, Assembly]:
    """alto and bajo found a federation closed to seats of non-members; sur is not a member."""
    alto, bajo = found_home(["ana", "bea", "carla"]), found_home(["dora", "eva", "flor"])
    sur = found_home(["gina", "hilda", "ines"])
    charter = cargo_charter(federation={**FEDERATION, "joining": "closed"})
    fed = found_federation({"ana": alto, "dora": bajo}, charter=charter)
    return [alto, bajo], sur, fed


def _membership(home: Assembly, fed: Assembly, action: str) -> dict[str, Any]:
    """`home` decides (a "yes" mandate on membership:<action>) and states it; the body citing it."""
    decide(home, "mandate", {"body": fed.log, "question": f"membership:{action}", "position": "yes"})
    entry = home.act(asm_names(home)[0], "membership.decided", {"federation": fed.log, "action": action})
    fed.clock = max(fed.clock, home.clock)
    return {
        "assembly": home.log,
        "cites": [cite(home, entry).as_json()],
        "decision": home.bodies[entry.act.body].content(),
    }


def _seat_sur(sur: Assembly, fed: Assembly) -> tuple[str, dict[str, Any]]:
    delegate = give_federation_cargo(sur, fed.log)
    credential = accredit(sur, delegate, fed.log)
    fed.clock = max(fed.clock, sur.clock)
    return delegate, seat_content(sur, credential)


def test_an_assembly_joins_by_the_federations_decision_and_its_own_and_then_seats_its_delegate() -> None:
    founders, sur, fed = _closed_federation()
    delegate, seat = _seat_sur(sur, fed)
    # given sur is no member: its seat is refused, and so is its own decision alone
    assert fed.rejects(delegate, "federation.seated", seat) == "not_a_member_assembly"
    joining = _membership(sur, fed, "join")
    assert fed.rejects("lola", MEMBERSHIP, joining) == "no_federation_decision"
    # when the federation decides to admit sur (a mandate naming it, by its own method) and it is cited
    federation_decides(
        fed, founders, "mandate", {"body": sur.log, "question": "membership:join", "position": "yes"}
    )
    fed.act("lola", MEMBERSHIP, joining)
    # then sur is a member, its delegate is seated and acts as the federation's member
    assert sur.log in fed.state.member_assemblies
    fed.act(delegate, "federation.seated", seat)
    fed.table(delegate)
    # and the same decision cannot be cited twice
    assert fed.rejects("lola", MEMBERSHIP, joining) == "stale_membership_decision"
    replay_all(fed.log, fed.entries, fed.bodies)


def test_an_assembly_leaves_by_its_own_decision_and_its_delegates_stop_acting() -> None:
    founders, _, fed = _closed_federation()
    alto = founders[0]
    delegate, credential = seated_delegate(fed, alto)
    # when alto decides to leave and the decision is cited
    fed.act("lola", MEMBERSHIP, _membership(alto, fed, "leave"))
    # then alto is no member, its delegate no longer acts, and no seat of alto is taken
    assert alto.log not in fed.state.member_assemblies
    assert fed.rejects(delegate, TABLED, _tabling("x")) == "not_a_seated_delegate"
    assert fed.rejects(delegate, "federation.seated", seat_content(alto, credential)) in (
        "not_a_member_assembly",
        "credential_used",
    )
    again = accredit(alto, delegate, fed.log)
    fed.clock = max(fed.clock, alto.clock)
    assert fed.rejects(delegate, "federation.seated", seat_content(alto, again)) == "not_a_member_assembly"
    # and a decision to join cited without the federation's decision is refused
    assert fed.rejects("lola", MEMBERSHIP, _membership(alto, fed, "join")) == "no_federation_decision"


def test_a_membership_decision_is_refused_at_home_without_the_assemblys_decision() -> None:
    _, sur, fed = _closed_federation()
    code = sur.rejects("gina", "membership.decided", {"federation": fed.log, "action": "join"})
    assert code == "no_membership_decision"


# --- 3. nesting: a zone federation's office represents it in a district federation --------------------

UP = "delegado_distrito"


def test_three_levels_a_zone_of_two_councils_names_its_delegate_to_the_district_by_its_office() -> None:
    # given two councils federated in a zone, and a district founded by the zone's and a third council's
    alto, bajo = found_home(["ana", "bea", "carla"]), found_home(["dora", "eva", "flor"])
    sur = found_home(["gina", "hilda", "ines"])
    zone = found_federation({"ana": alto, "dora": bajo}, charter=cargo_charter(federation=dict(FEDERATION)))
    district = found_federation({"juana": zone, "gina": sur}, node="district-node")
    # when the zone amends its charter (by its delegates, each voting its council's mandate) to have an
    # office that represents it in the district
    charter = zone.state.charter
    assert charter is not None
    amended = cargo_charter(
        federation={
            **FEDERATION,
            "offices": [{"office": UP, "term_days": 30, "burden": 1, "represents": district.log}],
        }
    )
    federation_decides(zone, [alto, bajo], "charter_amendment", {"charter": amended})
    zone.wait(1000)
    zone.table(standing_name(zone))  # an entry that starts the office's first term
    term = zone.state.offices.terms[UP][-1]
    council = home_of([alto, bajo], term.assembly)
    # and the council whose turn it is names the holder, who is cited into the zone
    holder = give_office_cargo(council, zone.log, UP)
    credential = accredit_office(council, holder, zone.log, UP)
    zone.clock = max(zone.clock, council.clock)
    zone.act("lola", "federation.office_taken", office_content(council, credential))
    # then the holder issues the zone's credential for the district, in the zone's record
    up = accredit(zone, holder, district.log, days=10)
    # and takes the zone's seat in the district and acts there as its member
    district.clock = max(district.clock, zone.clock)
    district.act(holder, "federation.seated", seat_content(zone, up))
    proposal = district.table(holder)
    assert district.state.proposals[proposal].author == pub(holder)
    # and a person of the other council, holding no such office, cannot issue that credential
    other = next(
        n for n in asm_names(home_of([alto, bajo], next(a for a in (alto.log, bajo.log) if a != council.log)))
    )
    assert zone.rejects(
        other, "delegate.accredited", {"federation": district.log, "until": zone.clock + DAY_MS}
    ) == ("not_a_seated_delegate" if other != standing_name(zone) else "no_federation_cargo")
    # and every replica of the three records agrees
    for record in (zone, district):
        replay_all(record.log, record.entries, record.bodies)


def test_an_office_that_represents_no_federation_gives_no_credential_one_level_up() -> None:
    homes, zone = _zone_with_office(represents=False)
    holder, district_log = homes
    code = zone.rejects(
        holder, "delegate.accredited", {"federation": district_log, "until": zone.clock + DAY_MS}
    )
    assert code == "no_federation_cargo"


def _zone_with_office(*, represents: bool) -> tuple[tuple[str, str], Assembly]:
    alto, bajo = found_home(["ana", "bea", "carla"]), found_home(["dora", "eva", "flor"])
    district_log = "d" * 64
    office: dict[str, Any] = {"office": UP, "term_days": 30, "burden": 1}
    if represents:
        office["represents"] = district_log
    zone = found_federation(
        {"ana": alto, "dora": bajo}, charter=cargo_charter(federation={**FEDERATION, "offices": [office]})
    )
    zone.wait(1000)
    seated_delegate(zone, alto)
    term = zone.state.offices.terms[UP][-1]
    council = home_of([alto, bajo], term.assembly)
    holder = give_office_cargo(council, zone.log, UP)
    credential = accredit_office(council, holder, zone.log, UP)
    zone.clock = max(zone.clock, council.clock)
    zone.act("lola", "federation.office_taken", office_content(council, credential))
    return (holder, district_log), zone


def test_an_office_that_represents_the_district_gives_the_credential_until_its_term_ends() -> None:
    (holder, district_log), zone = _zone_with_office(represents=True)
    accredit(zone, holder, district_log, days=10)
    code = zone.rejects(
        holder, "delegate.accredited", {"federation": district_log, "until": zone.clock + 40 * DAY_MS}
    )
    assert code == "no_federation_cargo"


def test_an_office_represents_a_federation_only_by_its_log_id() -> None:
    office = {"office": UP, "term_days": 30, "burden": 1, "represents": "distrito"}
    with pytest.raises(InvalidCharter) as refused:
        parse_charter(cargo_charter(federation={**FEDERATION, "offices": [office]}))
    assert refused.value.detail["field"] == "federation.offices.represents"
    office["represents"] = "d" * 64
    [spec] = parse_charter(cargo_charter(federation={**FEDERATION, "offices": [office]})).federation.offices  # type: ignore[union-attr]
    assert spec.powers == ("represent_in:" + "d" * 64,)
