"""Assemblies for cargo tests: decisions passed in a few calls, time moved forward by notices."""

from typing import Any

from ayllu.core.charter.rules import DAY_MS
from core.assembly.builders import Assembly, pub, quick_charter

MAJORITY = {"method": "majority", "threshold": "1/2", "base": "yes_no", "comparison": "more_than"}


def cargo_charter(**changes: Any) -> dict[str, Any]:
    """The quick charter with majority decisions, 30-day terms, no rest, a recall petition of two."""
    methods = {**quick_charter()["methods"], "ordinary": dict(MAJORITY)}
    base = {
        "methods": methods,
        "terms": {"term_days": 30, "rest_terms": 0, "max_concurrent": 1},
        "recall": {"petition": 2, "threshold": "1/2", "voting_ms": 100_000},
    }
    return quick_charter(**{**base, **changes})


def decide(asm: Assembly, matter: str, effect: dict[str, Any], *, by: str | None = None) -> int:
    """Table a proposal, let every active member vote yes, close it; return the proposal id."""
    names = asm_names(asm)
    author = by or names[0]
    proposal = asm.table(author, matter=matter, effect=effect)
    question = asm.open_question(author, proposal)
    for name in names:
        if pub(name) in asm.state.questions[question].eligible:
            asm.vote(name, question, "yes")
    asm.act(author, "question.closed", {"question": question})
    return proposal


def asm_names(asm: Assembly) -> list[str]:
    """The test names of the assembly's active members (registered by `named`)."""
    return [n for n in NAMES if pub(n) in asm.state.members and not asm.state.members[pub(n)].suspended]


NAMES = ["ana", "bea", "carla", "dora", "eva", "flor", "gina", "hilda", "ines", "juana", "karen", "lola"]
BY_KEY = {pub(n): n for n in NAMES}


def name_of(key: str) -> str:
    return BY_KEY[key]


def create_cargo(
    asm: Assembly, cargo: str, *, powers: list[str], term_days: int = 30, burden: int = 1, seats: int = 1
) -> None:
    effect = {"cargo": cargo, "powers": powers, "burden": burden, "term_days": term_days, "seats": seats}
    decide(asm, "cargo_creation", effect)


def tick(asm: Assembly, *, days: int, who: str = "ana") -> None:
    """Let `days` pass and record a notice, so replay reaches that time."""
    asm.act(who, "notice.posted", {"text": "tick"}, dt=days * DAY_MS)


def holders(asm: Assembly, cargo: str) -> list[str]:
    now = asm.state.last_time
    record = asm.state.cargos[cargo]
    return sorted(name_of(m) for m in record.holders if record.held_by(m, now=now))


def term_households(asm: Assembly, cargo: str) -> list[str]:
    return [t.household for t in asm.state.cargos[cargo].terms]
