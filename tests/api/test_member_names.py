"""A member's chosen name through the API: the text policy for names, and no member may take a name
that is, or looks like, another member's (docs/charter.md, "Texts and names")."""

import pytest

from ayllu.queries.pages import get_people
from factories.api import ApiAssembly
from factories.keys import pub


def test_a_member_sets_and_clears_their_name(assembly: ApiAssembly) -> None:
    # when
    assembly.ok("ana", "set-name", name="Ana Mamani")
    named = get_people(assembly.log)[pub("ana")].name
    listed = {m["id"]: m["name"] for m in assembly.get("/members").json()["members"]}
    assembly.ok("ana", "set-name")
    # then
    assert named == "Ana Mamani"
    assert (listed[pub("ana")], listed[pub("bea")]) == ("Ana Mamani", "")
    assert get_people(assembly.log)[pub("ana")].name == ""
    assert assembly.types()[-2:] == ["member.named", "member.named"]


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("Ana\nMamani", "control"),
        (" Ana", "untrimmed"),
        ("Ana\u200b", "format"),
        ("Ane\u0301", "not_nfc"),
        ("\u202eAna", "bidi_control"),
    ],
    ids=["two-lines", "untrimmed", "zero-width", "nfd", "bidi-override"],
)
def test_an_unclean_name_is_refused_and_nothing_written(
    assembly: ApiAssembly, name: str, reason: str
) -> None:
    # given
    size = assembly.size()
    # when
    answer = assembly.act("ana", "set-name", lang="en", name=name)
    # then
    data = answer.json()
    assert (answer.status_code, data["code"], data["detail"]["reason"]) == (400, "text_not_allowed", reason)
    assert assembly.size() == size


@pytest.mark.parametrize(
    "name", ["Ana Mamani", "ANA  MAMANI", "\u0410na Mamani"], ids=["same", "case", "cyrillic"]
)
def test_a_name_that_is_or_looks_like_another_members_is_refused(assembly: ApiAssembly, name: str) -> None:
    # given
    assembly.ok("ana", "set-name", name="Ana Mamani")
    size = assembly.size()
    # when
    answer = assembly.act("bea", "set-name", name=name)
    # then
    data = answer.json()
    assert (answer.status_code, data["code"]) == (409, "member_name_looks_alike")
    assert (data["detail"]["name"], data["detail"]["existing"]) == (name, "Ana Mamani")
    assert "Ana Mamani" in data["message"]
    assert assembly.size() == size


def test_a_member_may_write_their_own_name_again_differently(assembly: ApiAssembly) -> None:
    # given
    assembly.ok("ana", "set-name", name="Ana Mamani")
    # when
    answer = assembly.act("ana", "set-name", name="ANA MAMANI")
    # then
    assert answer.status_code == 201


def test_a_name_given_up_is_free_for_another_member(assembly: ApiAssembly) -> None:
    # given
    assembly.ok("ana", "set-name", name="Ana Mamani")
    assembly.ok("ana", "set-name")
    # when
    answer = assembly.act("bea", "set-name", name="Ana Mamani")
    # then
    assert answer.status_code == 201
