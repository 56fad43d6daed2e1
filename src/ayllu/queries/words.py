"""Words in the record that may be erased: a member's own (the acts whose words they may erase, and what
those words say), and those the assembly may decide to erase."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ayllu.core.assembly.state import AssemblyState
from ayllu.core.assembly.words import ReadModel
from ayllu.core.proposals.tabling import ProposalTabled
from ayllu.storage import reads

from .allowed import SAMPLE, acts_allowed
from .replayed import read_state


@dataclass(frozen=True, slots=True)
class OwnWordsRead(ReadModel):
    """An act of the reader's that carries words: its seq, type, time and visibility, its words by field
    (a JSON object as signed; empty when erased or not held here) and whether they were erased."""

    seq: int
    type: str
    time: int
    vis: str
    words: Mapping[str, object]
    erased: bool


def list_own_words(log: str, *, member: str) -> list[OwnWordsRead]:
    """The acts of `member` (a member id) that carry words, newest first: seq, type, time, their words
    (by field; empty when erased or not held here) and whether they were erased."""
    seqs, erased = read_state(
        log,
        lambda state: (
            [seq for seq, by in state.words_by.items() if by == member],
            frozenset(state.erased_words),
        ),
    )
    return [
        OwnWordsRead(
            seq=entry.seq,
            type=entry.type,
            time=entry.time,
            vis=entry.act.vis,
            words={} if words is None else dict(words.content()),
            erased=entry.seq in erased,
        )
        for entry, words in reversed(reads.entries_with_words(reads.get_record(log), seqs))
    ]


def list_erasable(log: str, *, key: str, seqs: Iterable[int], now: int) -> frozenset[int]:
    """Which of the entries `seqs` the reader with `key` ("" for nobody) may propose erasing now: those
    for which the core would accept their proposal of matter "erasure" (queries/allowed.py), the same
    answer that offers every other form."""
    if not key:
        return frozenset()
    wanted = frozenset(seqs)

    def read(state: AssemblyState) -> frozenset[int]:
        allows = acts_allowed(state, key=key, now=now)
        return frozenset(
            seq
            for seq in wanted
            if allows(ProposalTabled(matter="erasure", title=SAMPLE, text="", effect={"entry": seq}))
        )

    return read_state(log, read)
