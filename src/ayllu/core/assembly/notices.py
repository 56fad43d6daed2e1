"""Notices: any member posts a notice to the assembly; it changes nothing the rules read.

Acts (body fields in braces):
- notice.posted {text}: by any active member. Its rules read nothing of the body, so a replica that
  may not read a members-only notice still replays it.
"""

from dataclasses import dataclass

from ayllu.core.assembly.acts import TEXT, Act, act_field, act_kind
from ayllu.core.assembly.events import Context, Event, applies, rule
from ayllu.core.assembly.state import AssemblyState


@act_kind
class NoticePosted(Act):
    type = "notice.posted"
    name = "notice"
    summary = "Post a notice"
    rules_read_body = False

    text: str = act_field(TEXT)


@dataclass(frozen=True, slots=True)
class NoticeCounted(Event):
    seq: int


@rule(NoticePosted)
def decide_notice(state: AssemblyState, act: NoticePosted | None, ctx: Context) -> list[Event]:
    return [NoticeCounted(seq=ctx.seq)]


@applies(NoticeCounted)
def apply_notice(state: AssemblyState, event: NoticeCounted) -> None:
    state.notices += 1
