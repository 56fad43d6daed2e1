"""Citing another record's entry: the act that carries citations (docs/record-format.md 14).

Acts (body fields in braces):
- record.cited {cites, note?}: by a member: one to MAX_CITATIONS citations of entries of other records
  (a federation's resolution, the home assembly's decision that mandated a delegate), and an optional
  note in the member's words. Each citation is checked by its proof when the act is read, the same on
  every replica; a citation of this record itself, or the same entry twice, is refused. The node that
  appends the act also checks each citation against its copy of the cited record and refuses a forked
  or rolled-back one with evidence (actions/citations.py).

It is the first act to carry citations, so that the path is proven end to end before the federation's
acts (a delegate's vote citing its mandate, a recall cited into the federation) declare `cites` too.
It is in the catalogue like every act: `ayllu act cite-record --cites '[CITATION]'`, the API's act
route, and the browser's "cite an entry" page, which checks a pasted citation before the member signs.
"""

from dataclasses import dataclass
from typing import Any

from ayllu.core.assembly.acts import LIST, TEXT, Act, act_field, act_kind
from ayllu.core.assembly.events import Context, Event, applies, rule
from ayllu.core.assembly.state import AssemblyState
from ayllu.core.errors import MalformedBody

# (log, seq, entry hash, type) of each entry an act cites.
Cited = tuple[str, int, str, str]


@act_kind
class RecordCited(Act):
    type = "record.cited"
    name = "cite-record"
    summary = "Cite entries of other records (a federation's resolution, a decision of another assembly)"
    cites_in = "cites"

    cites: list[Any] = act_field(
        LIST, help='[citation, ...] (docs/record-format.md 14), e.g. "[$(ayllu cite LOG SEQ)]"'
    )
    note: str | None = act_field(TEXT, default=None, help="why these entries are cited")


@dataclass(frozen=True, slots=True)
class EntriesCited(Event):
    seq: int
    cited: tuple[Cited, ...]


def refuse_own_record(state: AssemblyState, log: str, *, field: str, seq: int) -> None:
    """Raise MalformedBody (reason `own_record`) when `log`, named where another record is meant, is
    this record's own: no record cites itself, federates with itself or mandates itself."""
    if log == state.log:
        raise MalformedBody(seq=seq, field=field, reason="own_record")


@rule(RecordCited)
def decide_cite(state: AssemblyState, act: RecordCited, ctx: Context) -> list[Event]:
    """Cite entries of other records: never this record's own, never one entry twice."""
    cited: list[Cited] = []
    for citation in act.citations(seq=ctx.seq):
        refuse_own_record(state, citation.log, field="cites", seq=ctx.seq)
        if any((log, seq) == (citation.log, citation.seq) for log, seq, _, _ in cited):
            raise MalformedBody(seq=ctx.seq, field="cites", reason="duplicate", log=citation.log)
        cited.append((citation.log, citation.seq, citation.entry, citation.header.type))
    return [EntriesCited(ctx.seq, tuple(cited))]


@applies(EntriesCited)
def apply_entries_cited(state: AssemblyState, event: EntriesCited) -> None:
    state.cited[event.seq] = event.cited
