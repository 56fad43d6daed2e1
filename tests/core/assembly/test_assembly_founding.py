"""Founding: every founder endorses the founding content; the record's id comes from the founding body."""

from typing import Any

import pytest

from ayllu.core.assembly.events import decide
from ayllu.core.assembly.replay import apply_entry, context_of, initial_state
from ayllu.core.assembly.state import AssemblyState, copy_state
from ayllu.core.charter.founding import (
    FOUNDED,
    AssemblyFounded,
    build_founding_body,
    build_founding_content,
    endorse_founding,
    found_assembly,
)
from ayllu.core.charter.rules import default_charter_data, parse_charter
from ayllu.core.errors import DomainError
from ayllu.core.ledger.canonical import canonical_bytes
from ayllu.core.ledger.keys import ENDORSE_CONTEXT
from ayllu.core.ledger.record import log_id_for, seal_entry, sign_act
from factories.assemblies import T0, Assembly
from factories.charters import quick_charter
from factories.keys import keypair, pub


def _found(
    content: dict[str, Any], endorsements: list[dict[str, str]], *, author: str = "ana"
) -> AssemblyState:
    body = build_founding_body(content, endorsements)
    log = log_id_for(body)
    signed = sign_act(keypair(author), log=log, type=FOUNDED, body=body, nonce="f")
    entry = seal_entry(signed, seq=1, prev="", time=T0, node=keypair("node"))
    return apply_entry(initial_state(log), entry, body)


def _content(founders: tuple[str, ...] = ("ana", "bea")) -> dict[str, Any]:
    return build_founding_content(
        "Junta", founded_at=T0, charter=quick_charter(), founders=[(pub(f), f"h-{f}") for f in founders]
    )


def test_founders_become_members_and_the_charter_takes_force() -> None:
    # given
    content = _content()
    # when
    state = _found(content, [endorse_founding(keypair(f), content) for f in ("ana", "bea")])
    # then
    assert set(state.members) == {pub("ana"), pub("bea")}
    assert state.charter is not None and state.charter.data == quick_charter()
    assert state.name == "Junta" and state.size == 1


def test_a_missing_endorsement_is_rejected() -> None:
    # given
    content = _content()
    # when
    with pytest.raises(DomainError) as caught:
        _found(content, [endorse_founding(keypair("ana"), content)])
    # then
    assert caught.value.code == "missing_endorsement"
    assert caught.value.detail["keys"] == [pub("bea")]


def test_an_endorsement_of_other_content_is_rejected() -> None:
    # given
    content = _content()
    other = {**content, "name": "Another"}
    endorsements = [endorse_founding(keypair("ana"), content), endorse_founding(keypair("bea"), other)]
    # when
    with pytest.raises(DomainError) as caught:
        _found(content, endorsements)
    # then
    assert caught.value.code == "bad_endorsement"


def test_a_non_founder_cannot_sign_the_founding_entry() -> None:
    # given
    content = _content()
    endorsements = [endorse_founding(keypair(f), content) for f in ("ana", "bea")]
    # when
    with pytest.raises(DomainError) as caught:
        _found(content, endorsements, author="mallory")
    # then
    assert caught.value.code == "not_a_founder"


def test_an_endorsement_by_a_non_founder_is_rejected() -> None:
    # given
    content = _content()
    endorsements = [endorse_founding(keypair(f), content) for f in ("ana", "bea", "mallory")]
    # when
    with pytest.raises(DomainError) as caught:
        _found(content, endorsements)
    # then
    assert caught.value.code == "not_a_founder"


def test_the_endorsement_is_over_the_canonical_content_without_endorsements() -> None:
    # given
    content = _content(("ana",))
    # when
    endorsement = endorse_founding(keypair("ana"), content)
    # then
    assert endorsement["sig"] == keypair("ana").sign(ENDORSE_CONTEXT, canonical_bytes(content))


def test_a_founding_entry_in_another_record_is_rejected() -> None:
    # given
    entry, body = found_assembly(
        [(keypair("ana"), "h")], name="J", founded_at=T0, charter=quick_charter(), node=keypair("node")
    )
    # when
    with pytest.raises(DomainError) as caught:
        apply_entry(initial_state("0" * 64), entry, body)
    # then
    assert caught.value.code == "wrong_log"


@pytest.mark.parametrize("endorsers", [("ana", "bea"), ("ana",)], ids=["accepted", "refused"])
def test_deciding_the_founding_leaves_the_state_unchanged(endorsers: tuple[str, ...]) -> None:
    # given a record before its first entry and its founding act
    content = _content()
    body = build_founding_body(content, [endorse_founding(keypair(f), content) for f in endorsers])
    state = initial_state(log_id_for(body))
    before = copy_state(state)
    act = AssemblyFounded.parse(body.content(), seq=1)
    ctx = context_of(state, AssemblyFounded, seq=1, time=T0, key=pub("ana"))
    # when
    try:
        events = decide(state, act, ctx)
    except DomainError as error:
        assert error.code == "missing_endorsement"
    else:
        assert events
    # then
    assert state == before


def test_the_founding_act_writes_back_the_body_it_was_read_from() -> None:
    # given a founding body
    content = _content()
    body = build_founding_body(content, [endorse_founding(keypair(f), content) for f in ("ana", "bea")])
    # when
    act = AssemblyFounded.parse(body.content(), seq=1)
    # then its `name` field is the assembly's name, and its content is the body's
    assert act.assembly_name == "Junta"
    assert act.content() == body.content()


def test_a_second_founding_is_rejected() -> None:
    # given
    asm = Assembly.found(["ana"])
    content = {k: v for k, v in asm.bodies[asm.entries[0].act.body].content().items()}
    # when
    code = asm.rejects("ana", FOUNDED, content)
    # then
    assert code == "already_founded"


def test_a_second_founding_by_a_key_that_is_no_members_learns_only_that() -> None:
    # given
    asm = Assembly.found(["ana"])
    content = {k: v for k, v in asm.bodies[asm.entries[0].act.body].content().items()}
    # when
    code = asm.rejects("mallory", FOUNDED, content)
    # then
    assert code == "not_a_member"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (
            {"methods": {**default_charter_data()["methods"], "charter_amendment": {"method": "consent"}}},
            "methods.charter_amendment",
        ),
        ({"quorum": {"basis": "members", "share": "3/2"}}, "quorum.share"),
        ({"quorum": {"basis": "people", "share": "1/2"}}, "quorum.basis"),
        ({"admission": {"by": "sponsorship", "sponsors": 0}}, "admission.sponsors"),
        ({"rounds": {"consent": 0, "consensus": 1}}, "rounds.consent"),
        ({"fallback": {"method": "consent"}}, "fallback.method"),
    ],
)
def test_an_invalid_charter_is_refused_naming_the_field(change: dict[str, Any], field: str) -> None:
    # given
    data = {**default_charter_data(), **change}
    # when
    with pytest.raises(DomainError) as caught:
        parse_charter(data)
    # then
    assert caught.value.code == "invalid_charter"
    assert caught.value.detail["field"] == field


def test_a_charter_amendment_threshold_equal_to_ordinary_is_refused() -> None:
    # given
    data = default_charter_data()
    qualified = {"method": "majority", "threshold": "2/3", "base": "yes_no", "comparison": "at_least"}
    data["methods"] = {**data["methods"], "ordinary": qualified, "charter_amendment": qualified}
    # when
    with pytest.raises(DomainError) as caught:
        parse_charter(data)
    # then
    assert caught.value.detail == {"field": "methods.charter_amendment", "reason": "not_higher_than_ordinary"}
