"""A name a member chooses: member.named sets it, an empty body clears it, and reads fall back to the
household and key (docs/charter.md, "Texts and names")."""

from ayllu.core.assembly.acts import WORDS_NOT_HELD
from ayllu.core.charter.members import member_name
from factories.assemblies import Assembly
from factories.keys import pub


def test_a_member_chooses_a_name_and_pages_may_read_it() -> None:
    # given
    asm = Assembly.found(["ana", "bea"])
    # when
    entry = asm.act("ana", "member.named", {"name": "Ana Mamani"})
    # then
    assert asm.state.member_names[pub("ana")] == ("Ana Mamani", entry.seq)
    assert member_name(asm.state, pub("ana")) == "Ana Mamani"
    assert member_name(asm.state, pub("bea")) == ""


def test_a_member_without_a_name_in_the_body_clears_the_one_they_had() -> None:
    # given
    asm = Assembly.found(["ana", "bea"])
    asm.act("ana", "member.named", {"name": "Ana Mamani"})
    # when
    asm.act("ana", "member.named", {})
    # then
    assert member_name(asm.state, pub("ana")) == ""


def test_a_name_is_hidden_from_a_reader_who_may_not_read_the_act_that_gave_it() -> None:
    # given
    asm = Assembly.found(["ana", "bea"])
    entry = asm.act("ana", "member.named", {"name": "Ana Mamani"})
    # then
    assert member_name(asm.state, pub("ana"), frozenset({entry.seq})) == ""


def test_a_name_this_node_does_not_hold_is_no_name() -> None:
    # given a replica without the act's words
    asm = Assembly.found(["ana", "bea"])
    asm.act("ana", "member.named", {"name": WORDS_NOT_HELD})
    # then
    assert member_name(asm.state, pub("ana")) == ""


def test_a_name_stays_with_the_member_when_they_move_to_a_new_key() -> None:
    # given
    asm = Assembly.found(["ana", "bea"])
    asm.act("ana", "member.named", {"name": "Ana Mamani"})
    # when
    asm.act("ana", "member.key_rotated", {"new_key": pub("ana-2")})
    # then the member id, and so the name, are the same
    assert member_name(asm.state, pub("ana")) == "Ana Mamani"


def test_a_blank_name_is_malformed() -> None:
    # given
    asm = Assembly.found(["ana", "bea"])
    # when
    code = asm.rejects("ana", "member.named", {"name": "   "})
    # then
    assert code == "malformed_body"


def test_only_a_member_names_themselves() -> None:
    # given
    asm = Assembly.found(["ana", "bea"])
    # when
    code = asm.rejects("zoe", "member.named", {"name": "Zoe"})
    # then
    assert code == "not_a_member"
