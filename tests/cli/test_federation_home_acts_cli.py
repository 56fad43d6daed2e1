"""A home assembly's acts for its federations from the command line (issue 14): `ayllu act accredit`,
`accredit-office`, `state-mandate`, `state-withdrawal`, `back-petition`, `propose-ratification` and
`record-ratification`, each signed with the member's key file on a home record held here.

Each is appended once the assembly decided what it states (its rules replayed by the write path, and
the record then verifying whole), and refused in words, nothing written, when it states what the
assembly did not decide. The commands run
in this process on the test database (like test_federation_cli.py).
"""

import pytest

from ayllu.actions.record import node_keypair
from ayllu.core.charter.rules import DAY_MS
from ayllu.core.federations.petitions import petition_question, petition_target
from factories.assemblies import Assembly, decide
from factories.cli_acts import ActAt, appended
from factories.federation_votes import recall_delegate
from factories.federations import accredit, found_home, give_federation_cargo, give_office_cargo
from factories.federations_stored import hold
from factories.scenes import Clock

# A federation's log id: a home's acts name it, the home record does not hold it.
FED = "fe" * 32


@pytest.fixture
def home(node_clock: Clock) -> Assembly:
    """A home assembly deciding by majority (ana, bea, carla), sealed with this node's key so that its
    record, in memory until `held`, is then written to here."""
    return found_home(["ana", "bea", "carla"], node=node_keypair())


def held(home: Assembly, clock: Clock) -> int:
    """Keep the home's record here, move this node's time past it; return its size."""
    clock.now = max(clock.now, home.clock + 1000)
    hold(home)
    return len(home.entries)


def test_ayllu_act_accredit_issues_the_delegates_credential_and_refuses_a_member_without_the_cargo(
    home: Assembly, node_clock: Clock, act_at: ActAt
) -> None:
    # given bea holds, by the assembly's decision, the cargo representing it in the federation
    delegate = give_federation_cargo(home, FED)
    other = next(n for n in ("ana", "bea", "carla") if n != delegate)
    size = held(home, node_clock)
    until = node_clock.now + 20 * DAY_MS  # within the cargo's 90 days
    # when a member without the cargo states a credential, then the delegate does
    refused, said = act_at("accredit", home.log, other, federation=FED, until=until)
    code, out = act_at("accredit", home.log, delegate, federation=FED, until=until)
    # then
    assert (
        refused == 2
        and "no_federation_cargo: A credential for a federation needs a cargo that represents the assembly"
        in said
    )
    assert code == 0 and appended(home.log, size, "delegate.accredited"), out


def test_ayllu_act_accredit_office_issues_the_office_credential_and_refuses_another_member(
    home: Assembly, node_clock: Clock, act_at: ActAt
) -> None:
    # given the assembly gave the cargo serving the federation's convenor office to its holder
    holder = give_office_cargo(home, FED, "convenor")
    other = next(n for n in ("ana", "bea", "carla") if n != holder)
    size = held(home, node_clock)
    fields = {"federation": FED, "office": "convenor", "until": node_clock.now + 20 * DAY_MS}
    # when
    refused, said = act_at("accredit-office", home.log, other, lang="es", **fields)
    code, out = act_at("accredit-office", home.log, holder, **fields)
    # then
    assert (
        refused == 2
        and "no_office_cargo: Una credencial para un cargo de la federación requiere tener ahora" in said
    ), said
    assert code == 0 and appended(home.log, size, "office.accredited"), out


def test_ayllu_act_state_mandate_states_the_decided_position_and_refuses_another(
    home: Assembly, node_clock: Clock, act_at: ActAt
) -> None:
    # given the assembly decided its mandate "yes" on the federation's question 7
    decide(home, "mandate", {"body": FED, "question": "7", "position": "yes"})
    size = held(home, node_clock)
    # when a member states "no", then "yes"
    refused, said = act_at("state-mandate", home.log, "carla", federation=FED, question=7, position="no")
    code, out = act_at("state-mandate", home.log, "carla", federation=FED, question=7, position="yes")
    # then
    assert refused == 2 and "not_mandated: The assembly has not decided" in said, said
    assert code == 0 and appended(home.log, size, "delegate.mandated"), out


def test_ayllu_act_state_withdrawal_states_the_recall_and_refuses_another_time(
    home: Assembly, node_clock: Clock, act_at: ActAt
) -> None:
    # given the assembly recalled its delegate, whose credential for the federation was issued
    delegate = give_federation_cargo(home, FED)
    credential = accredit(home, delegate, FED).seq
    at = recall_delegate(home, delegate)
    member = next(n for n in ("ana", "bea", "carla") if n != delegate)
    size = held(home, node_clock)
    # when a member states it at another time than the recall's, then at its time
    refused, said = act_at(
        "state-withdrawal", home.log, member, federation=FED, credential=credential, at=at + 1
    )
    code, out = act_at("state-withdrawal", home.log, member, federation=FED, credential=credential, at=at)
    # then
    assert refused == 2 and "not_withdrawn: No recall ended that delegate's cargo at that time" in said, said
    assert code == 0 and appended(home.log, size, "delegate.withdrawn"), out


def test_ayllu_act_back_petition_states_the_decided_backing_and_refuses_an_undecided_one(
    home: Assembly, node_clock: Clock, act_at: ActAt
) -> None:
    # given the assembly decided to back withdrawing the federation's decision 3
    question = petition_question("withdraw", petition_target("withdraw", resolution=3))
    decide(home, "mandate", {"body": FED, "question": question, "position": "yes"})
    size = held(home, node_clock)
    # when a member states it backs withdrawing decision 4, then 3
    refused, said = act_at("back-petition", home.log, "ana", federation=FED, action="withdraw", resolution=4)
    code, out = act_at("back-petition", home.log, "ana", federation=FED, action="withdraw", resolution=3)
    # then
    assert (
        refused == 2 and "no_petition_decision: The assembly has not decided to back this petition" in said
    ), said
    assert code == 0 and appended(home.log, size, "petition.backed"), out


def test_ayllu_act_propose_ratification_tables_it_and_refuses_naming_the_assembly_itself(
    home: Assembly, node_clock: Clock, act_at: ActAt
) -> None:
    # given
    size = held(home, node_clock)
    texts = {"title": "Ratificar el paro", "text": "", "resolution": 4}
    # when a member names its own assembly's record as the federation, then the federation
    refused, said = act_at("propose-ratification", home.log, "bea", federation=home.log, **texts)
    code, out = act_at("propose-ratification", home.log, "bea", federation=FED, **texts)
    # then
    assert (
        refused == 2
        and "malformed_body: This assembly's own record is named where another record is meant" in said
    ), said
    assert code == 0 and appended(home.log, size, "proposal.tabled"), out


def test_ayllu_act_record_ratification_records_the_decision_and_refuses_another_answer(
    home: Assembly, node_clock: Clock, act_at: ActAt
) -> None:
    # given the assembly decided to ratify the federation's resolution 4, all three households voting
    proposal = decide(home, "ratification", {"federation": FED, "resolution": 4})
    size = held(home, node_clock)
    fields = {"federation": FED, "resolution": 4, "proposal": proposal, "households": 3}
    # when a member records "no", then "yes"
    refused, said = act_at("record-ratification", home.log, "carla", answer="no", **fields)
    code, out = act_at("record-ratification", home.log, "carla", answer="yes", **fields)
    # then
    assert refused == 2 and "ratification_not_decided: The assembly's decision has not closed that" in said
    assert code == 0 and appended(home.log, size, "ratification.recorded"), out
