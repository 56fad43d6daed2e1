"""Deciding an act of cargos, mandates or recall never changes the state: only applying its events does."""

from typing import Any

import pytest

from ayllu.core.assembly.acts import ACT_KINDS
from ayllu.core.assembly.replay import try_act
from ayllu.core.assembly.state import AssemblyState, copy_state
from ayllu.core.errors import DomainError
from factories.assemblies import NAMES, Assembly, create_cargo, decide, holders
from factories.charters import cargo_charter
from factories.keys import pub

FED = "fejuve"


def _scene() -> tuple[Assembly, str, str]:
    """Four members, a delegate to the federation with a mandate, and an open recall petition."""
    asm = Assembly.found(NAMES[:4], charter=cargo_charter(recall={"petition": 3, "threshold": "1/2"}))
    create_cargo(asm, "delegado", powers=[f"represent_in:{FED}"], term_days=90)
    decide(asm, "mandate", {"body": FED, "question": "tarifa", "position": "no"})
    delegate = holders(asm, "delegado")[0]
    other = next(n for n in NAMES[:4] if n != delegate)
    asm.act(other, "recall.petitioned", {"cargo": "delegado", "member": pub(delegate), "reason": "r"})
    asm.act(delegate, "delegate.session_held", {"body": FED, "session": "s1"})
    return asm, delegate, other


def _decide(state: AssemblyState, who: str, type: str, content: dict[str, Any], *, time: int) -> str:
    """Decide the act without applying it: "" when accepted, else the refusal's code."""
    act = ACT_KINDS[type].parse(content)
    try:
        try_act(state, key=pub(who), act=act, time=time)
    except DomainError as error:
        return error.code
    return ""


def _vote(question: str, choice: str) -> dict[str, str]:
    return {"body": FED, "session": "s2", "question": question, "choice": choice}


CASES = [
    ("delegate", "delegate.voted", _vote("tarifa", "no"), ""),
    ("delegate", "delegate.voted", _vote("tarifa", "yes"), "contrary_to_mandate"),
    ("delegate", "mandate.requested", {"body": FED, "question": "q", "text": ""}, ""),
    ("other", "mandate.requested", {"body": FED, "question": "q", "text": ""}, "not_delegate"),
    ("other", "delegate.session_held", {"body": FED, "session": "s3"}, ""),
    ("delegate", "delegate.report_filed", {"body": FED, "session": "s1", "text": "t"}, ""),
    ("delegate", "delegate.report_filed", {"body": FED, "session": "nope", "text": "t"}, "unknown_session"),
    ("other", "recall.signed", {"petition": 999}, "unknown_recall_petition"),
    ("other", "recall.signed", {"petition": "PETITION"}, "already_signed"),
    ("third", "recall.signed", {"petition": "PETITION"}, ""),
    ("other", "cargo.swap_accepted", {"swap": 999}, "unknown_swap"),
    ("other", "cargo.turn_taken", {"cargo": "delegado"}, "not_households_turn"),
    ("other", "announcement.published", {"text": "t"}, "lacks_power"),
]


@pytest.mark.parametrize(("who", "type", "content", "code"), CASES, ids=[f"{c[1]}:{c[3]}" for c in CASES])
def test_deciding_leaves_the_state_as_it_was(who: str, type: str, content: dict[str, Any], code: str) -> None:
    # given a scene and a copy of its state
    asm, delegate, other = _scene()
    names = {"delegate": delegate, "other": other}
    names["third"] = next(n for n in NAMES[:4] if n not in (delegate, other))
    petition = next(iter(asm.state.recall_petitions))
    content = {k: petition if v == "PETITION" else v for k, v in content.items()}
    before = copy_state(asm.state)
    # when the act is decided, accepted or refused
    found = _decide(asm.state, names[who], type, content, time=asm.clock + 1000)
    # then the code is the expected one and nothing in the state changed
    assert found == code
    assert asm.state == before


def test_the_signature_that_opens_a_recall_vote_is_decided_without_opening_it() -> None:
    # given a petition one signature short of the charter's count
    asm, delegate, other = _scene()
    third = next(n for n in NAMES[:4] if n not in (delegate, other))
    petition = next(iter(asm.state.recall_petitions))
    asm.act(third, "recall.signed", {"petition": petition})
    last = next(n for n in NAMES[:4] if n not in (other, third))
    before = copy_state(asm.state)
    # when the last signature is decided
    act = ACT_KINDS["recall.signed"].parse({"petition": petition})
    events = try_act(asm.state, key=pub(last), act=act, time=asm.clock + 1000)
    # then it would open the vote, and the state still has no question for it
    assert [type(e).__name__ for e in events] == ["PetitionSigned", "RecallVoteOpened"]
    assert asm.state == before and not asm.state.recall_petitions[petition].question
