"""What replay keeps about cargos, mandates, recall petitions and draws (the state's issue-4 part).

Plain mutable records, named like the rest of the state by the `seq` of the entry that created them.
They import nothing from the rest of the core, so `state.py` can hold them without a cycle.
"""

from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class Term:
    """One holder's term of one cargo; `end` (exclusive, ms) is cut short by a recall or by leaving."""

    cargo: str
    member: str
    household: str
    start: int
    end: int
    seq: int
    how: str  # founding, decision, turn, relax_rest_period
    ended_by: str = ""  # recall, left, turn_taken (handed to another member of the household)


@dataclass(slots=True)
class ExemptionGrant:
    """An exemption from turns granted by decision, to a household or to one member, for [start, end)."""

    seq: int
    start: int
    end: int
    reason: str
    household: str = ""
    member: str = ""


@dataclass(slots=True)
class SwapOffer:
    """A household offers to swap its place in a cargo's turn order with another; open until accepted."""

    id: int
    cargo: str
    household: str
    other: str
    by: str
    accepted_seq: int = 0
    at: int = 0


@dataclass(slots=True)
class Mandate:
    """The assembly's position on one question of another body, the outcome of decision `proposal`."""

    body: str
    question: str
    position: str
    proposal: int
    seq: int


@dataclass(slots=True)
class DelegateAct:
    """A delegate's vote in another body: cast through ayllu (`cast`) or reported afterwards."""

    seq: int
    time: int
    delegate: str
    body: str
    session: str
    question: str
    choice: str
    cast: bool
    flag: str = ""  # contrary_to_mandate, without_mandate (reported votes only)
    reporter: str = ""


@dataclass(slots=True)
class Session:
    """A session of another body the assembly is represented in; a report is due after it."""

    body: str
    session: str
    seq: int
    time: int
    due: int
    delegates: list[str] = field(default_factory=list)
    report_seq: int = 0
    report_by: str = ""


@dataclass(slots=True)
class RecallPetition:
    """A petition to recall `member` from `cargo`; at the charter's signatures a question opens."""

    id: int
    cargo: str
    member: str
    reason: str
    opened_time: int
    signers: list[str] = field(default_factory=list)
    question: int = 0


@dataclass(slots=True)
class Draw:
    """A panel drawn by lot: the lottery fixed first, then commitments, reveals and the chosen panel."""

    id: int
    by: str
    purpose: str
    pool: dict[str, dict[str, str]]
    quotas: list[dict[str, Any]]
    panel_size: int
    # the numbered list of panels as seats per type (the pool's types in canonical order)
    lottery: tuple[tuple[int, ...], ...]
    lottery_hash: str
    commit_until: int
    reveal_until: int
    beacon_chain: list[dict[str, Any]]
    beacon_after: int
    commitments: dict[str, str] = field(default_factory=dict)
    reveals: dict[str, str] = field(default_factory=dict)
    completed_seq: int = 0
    index: int = -1
    panel: tuple[str, ...] = ()
    beacon: dict[str, Any] = field(default_factory=dict)
    seed: str = ""
    withheld: tuple[str, ...] = ()
