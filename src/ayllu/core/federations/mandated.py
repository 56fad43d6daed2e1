"""A mandate stated for a federation: the home assembly's entry a federation cites when its delegate votes.

Acts (body fields in braces), in the home assembly's record:
- delegate.mandated {federation, question, position}: any member states, in a public body, the position
  the assembly's mandate in force holds on the federation's question `question` (its id in the
  federation's record). The home rules refuse it unless a mandate decision passed on (federation,
  question) — the mandate's `body` is the federation's log id and its `question` that id written in
  digits — and that mandate still holds `position` (`not_mandated`).

Why an act of its own rather than citing the decision: a mandate is the effect of a decision that only
the home record's replay computes, applied when a later entry closes the question; a replica of the
federation holding no home record could not read it. This entry states it, as the credential states a
cargo (decision 0018); the federation's replay reads it from the vote that cites it (voting.py).
"""

from dataclasses import dataclass

from ayllu.core.assembly.acts import HEX, INT_ID, NAME, Act, act_field, act_kind
from ayllu.core.assembly.citing import refuse_own_record
from ayllu.core.assembly.events import Context, Event, applies, rule
from ayllu.core.assembly.state import AssemblyState
from ayllu.core.federations.errors import NotMandated

MANDATED = "delegate.mandated"


@act_kind
class DelegateMandated(Act):
    type = MANDATED
    name = "state-mandate"
    summary = "State the assembly's mandate on a federation's question: the entry its delegates cite"
    cited_elsewhere = True

    federation: str = act_field(HEX, help="the federation's log id")
    question: int = act_field(INT_ID, help="the question's id in the federation's record")
    position: str = act_field(NAME, help="the position the assembly decided")


@dataclass(frozen=True, slots=True)
class MandateStated(Event):
    seq: int
    federation: str
    question: int
    position: str


def mandate_in_force(state: AssemblyState, *, federation: str, question: int) -> str | None:
    """The position the assembly's mandate holds now on the federation's question, if it decided one."""
    mandate = state.mandates.get((federation, str(question)))
    return None if mandate is None else mandate.position


@rule(DelegateMandated)
def decide_state_mandate(state: AssemblyState, act: DelegateMandated, ctx: Context) -> list[Event]:
    """State the mandate in force on a federation's question, exactly as the assembly decided it."""
    refuse_own_record(state, act.federation, field="federation", seq=ctx.seq)
    position = mandate_in_force(state, federation=act.federation, question=act.question)
    if position != act.position:
        raise NotMandated(
            seq=ctx.seq, federation=act.federation, question=act.question, position=act.position,
            mandate=position or "",
        )  # fmt: skip
    return [MandateStated(ctx.seq, act.federation, act.question, act.position)]


@applies(MandateStated)
def apply_mandate_stated(state: AssemblyState, event: MandateStated) -> None:
    state.mandates_stated[event.seq] = (event.federation, event.question, event.position)
