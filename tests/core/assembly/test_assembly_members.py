"""Members and keys: admission per charter, leaving, suspension only by decision, lost devices."""

from ayllu.core.charter.households import new_household_id
from ayllu.core.charter.members import household_label
from factories.assemblies import Assembly, replay_all
from factories.charters import quick_charter
from factories.keys import pub

BY_DECISION = {"admission": {"by": "decision"}, "key_replacement": {"by": "decision"}}


def test_an_applicant_with_enough_sponsors_becomes_a_member_of_their_household() -> None:
    # given
    asm = Assembly.found(
        ["ana", "bea"], charter=quick_charter(admission={"by": "sponsorship", "sponsors": 2})
    )
    asm.act("dora", "member.applied", {"household": "house-ana"})
    # when
    asm.act("ana", "member.sponsored", {"applicant": pub("dora")})
    before = pub("dora") in asm.state.members
    asm.act("bea", "member.sponsored", {"applicant": pub("dora")})
    # then
    assert not before
    assert asm.state.members[pub("dora")].household == "house-ana"
    assert asm.state.households["house-ana"] == {pub("ana"), pub("dora")}


def test_a_sponsor_counts_once() -> None:
    # given
    asm = Assembly.found(
        ["ana", "bea"], charter=quick_charter(admission={"by": "sponsorship", "sponsors": 2})
    )
    asm.act("dora", "member.applied", {"household": "h"})
    asm.act("ana", "member.sponsored", {"applicant": pub("dora")})
    # when
    code = asm.rejects("ana", "member.sponsored", {"applicant": pub("dora")})
    # then
    assert code == "already_signed"
    assert pub("dora") not in asm.state.members


def test_sponsorship_is_refused_when_the_charter_admits_by_decision() -> None:
    # given
    asm = Assembly.found(["ana", "bea"], charter=quick_charter(**BY_DECISION))
    asm.act("dora", "member.applied", {"household": "h"})
    # when
    code = asm.rejects("ana", "member.sponsored", {"applicant": pub("dora")})
    # then
    assert code == "wrong_route"


def test_admission_by_decision_takes_effect_when_replay_computes_a_pass() -> None:
    # given
    asm = Assembly.found(["ana", "bea", "carla"], charter=quick_charter(**BY_DECISION))
    asm.act("dora", "member.applied", {"household": "h"})
    proposal = asm.table("ana", matter="admission", effect={"applicant": pub("dora")})
    question = asm.open_question("ana", proposal)
    asm.vote("ana", question, "yes")
    asm.vote("bea", question, "yes")
    # when
    asm.close_after_deadline("carla", question)
    # then
    assert asm.state.proposals[proposal].status == "adopted"
    assert pub("dora") in asm.state.members


def test_an_admission_rejected_by_the_assembly_admits_nobody() -> None:
    # given
    asm = Assembly.found(["ana", "bea", "carla"], charter=quick_charter(**BY_DECISION))
    asm.act("dora", "member.applied", {"household": "h"})
    proposal = asm.table("ana", matter="admission", effect={"applicant": pub("dora")})
    question = asm.open_question("ana", proposal)
    asm.vote("ana", question, "yes")
    asm.vote("bea", question, "no")
    # when
    asm.close_after_deadline("carla", question)
    # then
    assert asm.state.proposals[proposal].status == "rejected"
    assert pub("dora") not in asm.state.members


def test_a_vote_by_a_non_member_is_rejected() -> None:
    # given
    asm = Assembly.found(["ana", "bea"])
    question = asm.open_question("ana", asm.table("ana"))
    # when
    code = asm.rejects("mallory", "vote.cast", {"question": question, "choice": "consent"})
    # then
    assert code == "not_a_member"


def test_an_applicant_cannot_act_as_a_member() -> None:
    # given
    asm = Assembly.found(["ana"])
    asm.act("dora", "member.applied", {"household": "h"})
    # when
    code = asm.rejects("dora", "notice.posted", {"text": "hello"})
    # then
    assert code == "not_a_member"


def test_a_member_who_left_can_no_longer_act() -> None:
    # given
    asm = Assembly.found(["ana", "bea"])
    asm.act("bea", "member.left", {})
    # when
    code = asm.rejects("bea", "notice.posted", {"text": "still here?"})
    # then
    assert code == "not_a_member"
    assert asm.state.active_count == 1 and pub("bea") in asm.state.former_members


def test_after_vouching_the_old_key_is_refused_and_the_new_key_acts_as_the_member() -> None:
    # given
    asm = Assembly.found(["ana", "bea", "carla"])
    asm.act("ana-phone-2", "member.key_claimed", {"member": pub("ana")})
    asm.act("bea", "member.key_vouched", {"key": pub("ana-phone-2")})
    still_valid = asm.act("ana", "notice.posted", {"text": "old key, before the second voucher"})
    # when
    asm.act("carla", "member.key_vouched", {"key": pub("ana-phone-2")})
    code = asm.rejects("ana", "notice.posted", {"text": "old key"})
    asm.act("ana-phone-2", "notice.posted", {"text": "new key"})
    # then
    assert still_valid.seq > 0
    assert code == "key_replaced"
    assert asm.state.members[pub("ana")].key == pub("ana-phone-2")
    assert replay_all(asm.log, asm.entries, asm.bodies).members[pub("ana")].key == pub("ana-phone-2")


def test_a_member_cannot_vouch_for_a_claim_on_themselves() -> None:
    # given
    asm = Assembly.found(["ana", "bea", "carla"])
    asm.act("thief", "member.key_claimed", {"member": pub("ana")})
    # when
    code = asm.rejects("ana", "member.key_vouched", {"key": pub("thief")})
    # then
    assert code == "already_signed"


def test_key_replacement_by_decision_invalidates_the_old_key() -> None:
    # given
    asm = Assembly.found(["ana", "bea", "carla"], charter=quick_charter(**BY_DECISION))
    asm.act("ana-phone-2", "member.key_claimed", {"member": pub("ana")})
    proposal = asm.table("bea", matter="key_replacement", effect={"key": pub("ana-phone-2")})
    question = asm.open_question("bea", proposal)
    asm.vote("bea", question, "yes")
    asm.vote("carla", question, "yes")
    asm.close_after_deadline("bea", question)
    # when
    code = asm.rejects("ana", "notice.posted", {"text": "old key"})
    # then
    assert code == "key_replaced"


def test_suspension_is_only_by_decision_and_the_subject_does_not_vote() -> None:
    # given
    asm = Assembly.found(["ana", "bea", "carla"])
    proposal = asm.table("ana", matter="suspension", effect={"member": pub("carla")})
    question = asm.open_question("ana", proposal)
    # when
    not_eligible = asm.rejects("carla", "vote.cast", {"question": question, "choice": "no"})
    asm.vote("ana", question, "yes")
    asm.vote("bea", question, "yes")
    asm.close_after_deadline("bea", question)
    suspended = asm.rejects("carla", "notice.posted", {"text": "hi"})
    # then
    assert not_eligible == "not_eligible"
    assert suspended == "member_suspended"
    assert asm.state.active_count == 2


def test_a_suspended_member_may_still_leave() -> None:
    # given
    asm = Assembly.found(["ana", "bea", "carla"])
    question = asm.open_question(
        "ana", asm.table("ana", matter="suspension", effect={"member": pub("carla")})
    )
    asm.vote("ana", question, "yes")
    asm.vote("bea", question, "yes")
    asm.close_after_deadline("bea", question)
    # when
    asm.act("carla", "member.left", {})
    # then
    assert pub("carla") not in asm.state.members and asm.state.active_count == 2


def test_registering_a_household_moves_the_member_and_keeps_household_counts() -> None:
    # given
    asm = Assembly.found(["ana", "bea"])
    asm.join("dora", sponsor="ana", household="house-ana")
    before = asm.state.active_households
    # when
    asm.act("dora", "household.registered", {"household": "house-dora"})
    taken = asm.rejects("bea", "household.registered", {"household": "house-dora"})
    # then
    assert before == 2 and asm.state.active_households == 3
    assert taken == "household_exists"


def test_a_household_is_counted_by_id_and_named_once_by_the_act_that_made_it() -> None:
    # given two founders, and dora applying into a new household by an opaque id with its name as words
    asm = Assembly.found(["ana", "bea"])
    new = new_household_id()
    asm.act("dora", "member.applied", {"household": new, "household_name": "Casa Dora"})
    asm.act("ana", "member.sponsored", {"applicant": pub("dora")})
    # when erin joins the same household under another name, and fay names house-ana anew
    asm.act("erin", "member.applied", {"household": new, "household_name": "Otra"})
    asm.act("ana", "member.sponsored", {"applicant": pub("erin")})
    asm.act("fay", "member.applied", {"household": "house-ana", "household_name": "Renombrada"})
    asm.act("ana", "member.sponsored", {"applicant": pub("fay")})
    # then three households count, dora's by its id, and no later act renames a household
    assert asm.state.active_households == 3 and asm.state.households[new] == {pub("dora"), pub("erin")}
    assert household_label(asm.state, new) == "Casa Dora"
    assert household_label(asm.state, "house-ana") == "house-ana"
    # and a reader who may not read the act that named it reads the id
    assert household_label(asm.state, new, frozenset({asm.state.household_names[new][1]})) == new
