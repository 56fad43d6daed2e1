"""The frozen read models a federation's reads answer (`ReadModel`: ids, keys, seqs, times and counts;
no words of any act): its offices and their terms (offices.py), its petitions (petitions.py), the
plenaries they convened (plenary.py), the recall votes on suspended holders (recall_vote.py), and who
held its offices (office_concentration.py). The API describes its answers with these classes.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from ayllu.core.assembly.words import ReadModel


@dataclass(frozen=True, slots=True)
class OfficeHolderRead(ReadModel):
    """A person holding (or who held) an office term, on the credential their assembly issued."""

    key: str
    since: int
    until: int
    seq: int
    holds: bool
    suspended: int
    suspended_by: int
    credential_log: str
    credential_seq: int


@dataclass(frozen=True, slots=True)
class TermRead(ReadModel):
    """An office term: whose turn (an assembly), when, its outcome, and who held it."""

    office: str
    assembly: str
    start: int
    end: int
    outcome: str
    runs: bool
    holder: str
    holders: tuple[OfficeHolderRead, ...]


@dataclass(frozen=True, slots=True)
class TurnRead(ReadModel):
    """A turn to come: which assembly, when."""

    assembly: str
    start: int
    end: int
    outcome: str


@dataclass(frozen=True, slots=True)
class OfficeRead(ReadModel):
    """An office of the charter: its term and burden, the running term, the next turns, past terms."""

    office: str
    term_ms: int
    burden: int
    current: TermRead | None
    next: tuple[TurnRead, ...]
    past: tuple[TermRead, ...]


@dataclass(frozen=True, slots=True)
class PetitionRead(ReadModel):
    """An overflow petition of member assemblies: what it asks, who backs it, what it needs."""

    question: str
    action: str
    target: str
    opened_seq: int
    backers: tuple[str, ...]
    needs: int
    completed_seq: int
    completed_time: int
    expires: int
    fields: Mapping[str, str | int]


@dataclass(frozen=True, slots=True)
class PostponedRead(ReadModel):
    """A sitting postponed for want of quorum: the entry that did it, and the start it moved from."""

    seq: int
    time: int
    moved_from: int


@dataclass(frozen=True, slots=True)
class SittingRead(ReadModel):
    """A plenary the member assemblies convened: its sitting's start, quorum (a share, and how many
    assemblies reach it), the assemblies present, whether it opened or closed, who took its chair (a
    delegate's key, "" while nobody has; decision 0030), and its postponements."""

    meeting: int
    starts: int
    sitting: int
    quorum: str
    needs: int
    present: tuple[str, ...]
    opened_seq: int
    opened_time: int
    closed_seq: int
    chair: str
    chair_seq: int
    wait_until: int
    postponed: tuple[PostponedRead, ...]


@dataclass(frozen=True, slots=True)
class RecallVoteRead(ReadModel):
    """A recall vote on a suspended office holder: the assemblies' voices so far and its outcome."""

    recall: int
    office: str
    holder: str
    deadline: int
    closes_after: int
    eligible: int
    confirm: tuple[str, ...]
    lift: tuple[str, ...]
    open: bool
    closed_seq: int
    closed_time: int
    outcome: str


@dataclass(frozen=True, slots=True)
class AssemblyTermsRead(ReadModel):
    """A member assembly's office terms in the federation, and their load (each weighted by its office's
    burden)."""

    assembly: str
    terms: int
    load: int


@dataclass(frozen=True, slots=True)
class HeldOfficeRead(ReadModel):
    """An office a person holds now, in this federation or one below it."""

    federation: str
    office: str


@dataclass(frozen=True, slots=True)
class PersonTermsRead(ReadModel):
    """A person (their key) and the office terms they held here and in the federations below, with the
    offices they hold now."""

    key: str
    here: int
    below: int
    holds: tuple[HeldOfficeRead, ...]
