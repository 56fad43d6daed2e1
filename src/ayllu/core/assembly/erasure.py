"""Erasure: the author of an act, or the assembly by a decision, erases its words; the record keeps
their hash, the rules never need them.

Acts (body fields in braces):
- words.erased {entry}: by the member who signed entry `entry` (with any of their keys). The entry must
  carry words an erasure may take: a format-2 act that has words (its rule data stays), or a format-1
  act whose rules read nothing of its body (a notice).
- a proposal of matter "erasure" {entry} (proposals/effects.py): the same words, erased when the
  assembly decides it, whoever wrote them.
Once either is in the record, every node deletes those words' bytes; a verifier accepts an erased body
only where the replayed rules erased it (`AssemblyState.erased_words`; docs/record-format.md, section 13).
"""

from dataclasses import dataclass

from ayllu.core.assembly.acts import INT_ID, Act, act_field, act_kind
from ayllu.core.assembly.events import Context, Event, applies, rule
from ayllu.core.assembly.rule_errors import NotYourWords, NoWordsToErase, WordsAlreadyErased
from ayllu.core.assembly.state import AssemblyState


@act_kind
class WordsErased(Act):
    type = "words.erased"
    name = "erase-words"
    summary = "Erase the words of one of your own acts (the record keeps their hash)"

    entry: int = act_field(INT_ID, help="the seq of your act whose words are erased")


@dataclass(frozen=True, slots=True)
class WordsTaken(Event):
    entry: int


@rule(WordsErased)
def decide_erase_words(state: AssemblyState, act: WordsErased, ctx: Context) -> list[Event]:
    author = state.words_by.get(act.entry)
    if author is None:
        raise NoWordsToErase(seq=ctx.seq, entry=act.entry)
    if author not in (ctx.author, ctx.key):
        raise NotYourWords(seq=ctx.seq, entry=act.entry)
    if act.entry in state.erased_words:
        raise WordsAlreadyErased(seq=ctx.seq, entry=act.entry)
    return [WordsTaken(act.entry)]


@applies(WordsTaken)
def apply_words_taken(state: AssemblyState, event: WordsTaken) -> None:
    state.erased_words.add(event.entry)
