"""Recall by petition: members sign; at the charter's count a recall question opens at once.

Acts (body fields in braces):
- recall.petitioned {cargo, member, reason}: any member opens a petition against a current holder of a
  cargo (a delegate is the holder of a cargo with a `represent_in:` power), and signs it first.
- recall.signed {petition}: another member signs (once each).
When the signatures reach the charter's `recall.petition`, replay opens, in that same entry, a proposal
of matter "recall" (id: the petition's seq; author: the first signer; effect {cargo, member}) and its
question between meetings (id: the seq of the signature that completed it), with a deadline the
charter's `recall.voting_ms` away (default: its minimum voting time). The question is decided by
majority of the votes cast (yes/no/abstain) at the charter's `recall.threshold`, reached or passed.

The person recalled cannot block it: they are not among the question's eligible voters (the decision's
subject never is, see proposals/effects.py `subject_of`), so their ballot is refused (`not_eligible`),
and no method that lets one voice stop a decision applies to a recall opened by petition. If it passes,
the holder is out at that entry; a cargo filled by turn gets its next holder by turn at once; any later
act that needs the cargo's powers is refused on replay (`lacks_power`, `not_convenor`, `not_delegate`).
"""

from typing import Any

from ayllu.core.assembly.bodies import MAX_ID, get_int, get_key, get_str, only_fields
from ayllu.core.assembly.rule_errors import AlreadySigned
from ayllu.core.assembly.state import AssemblyState, Proposal, Question, RecallPetition
from ayllu.core.assembly.words import MEMBERS_ONLY, said
from ayllu.core.cargos.errors import NotAHolder, RecallAlreadyOpen, UnknownRecallPetition
from ayllu.core.charter.rules import MethodSpec
from ayllu.core.ledger.record import Entry
from ayllu.core.proposals.effects import subject_of

RECALL = "recall"


def do_recall_petitioned(state: AssemblyState, entry: Entry, author: str, content: dict[str, Any]) -> None:
    seq = entry.seq
    only_fields(content, {"cargo", "member", "reason"}, seq=seq)
    name = get_str(content, "cargo", seq=seq, limit=MAX_ID)
    member = get_key(content, "member", seq=seq)
    reason = get_str(content, "reason", seq=seq)
    cargo = state.cargos.get(name)
    if cargo is None or not cargo.held_by(member, now=entry.time):
        raise NotAHolder(seq=seq, cargo=name, member=member)
    for petition in state.recall_petitions.values():
        if (petition.cargo, petition.member) == (name, member) and _still_open(state, petition):
            raise RecallAlreadyOpen(seq=seq, petition=petition.id)
    petition = RecallPetition(seq, name, member, reason, entry.time, [author])
    state.recall_petitions[seq] = petition
    _maybe_open(state, petition, entry)


def do_recall_signed(state: AssemblyState, entry: Entry, author: str, content: dict[str, Any]) -> None:
    seq = entry.seq
    only_fields(content, {"petition"}, seq=seq)
    petition = state.recall_petitions.get(get_int(content, "petition", seq=seq, low=1))
    if petition is None or petition.question:
        raise UnknownRecallPetition(seq=seq, petition=content["petition"])
    if author in petition.signers:
        raise AlreadySigned(seq=seq, member=author, petition=petition.id)
    petition.signers.append(author)
    _maybe_open(state, petition, entry)


def _still_open(state: AssemblyState, petition: RecallPetition) -> bool:
    if not petition.question:
        return True
    return state.proposals[petition.id].status in ("deliberation", "voting")


def _maybe_open(state: AssemblyState, petition: RecallPetition, entry: Entry) -> None:
    rules = state.rules
    if len(petition.signers) < rules.cargo.recall_signatures:
        return
    effect = {"cargo": petition.cargo, "member": petition.member}
    proposal = Proposal(
        id=petition.id,
        author=petition.signers[0],
        matter=RECALL,
        title=petition.cargo,
        text=petition.reason,
        effect=effect,
        options=[],
        meeting=0,
        tabled_time=petition.opened_time,
        seed=entry.hash,
        cosigners=set(petition.signers[1:]),
        status="voting",
    )
    subject = subject_of(RECALL, effect)
    eligible = {m: r.household for m, r in state.members.items() if not r.suspended and m != subject}
    spec = MethodSpec("majority", rules.cargo.recall_threshold, "cast", strict=False)
    question = Question(
        id=entry.seq,
        proposal=petition.id,
        spec=spec,
        round=1,
        meeting=0,
        deadline=entry.time + rules.cargo.recall_voting_ms,
        opened_time=entry.time,
        eligible=eligible,
    )
    state.proposals[proposal.id] = proposal
    state.questions[question.id] = question
    proposal.questions.append(question.id)
    petition.question = question.id


RECALL_ACTS = {"recall.petitioned": do_recall_petitioned, "recall.signed": do_recall_signed}


def list_recall_petitions(state: AssemblyState, *, open_only: bool = True) -> list[dict[str, Any]]:
    """Recall petitions with their signatures, needed count, question and where the decision stands; the
    reason is the words of `recall.petitioned` (a `Said`)."""
    needed = state.rules.cargo.recall_signatures
    found = []
    for petition in sorted(state.recall_petitions.values(), key=lambda p: p.id):
        status = state.proposals[petition.id].status if petition.question else "collecting"
        if open_only and status not in ("collecting", "deliberation", "voting"):
            continue
        found.append(
            {
                "petition": petition.id,
                "cargo": petition.cargo,
                "member": petition.member,
                "reason": said(petition.reason, petition.id),
                "signers": list(petition.signers),
                "needed": needed,
                "question": petition.question,
                "status": status,
                MEMBERS_ONLY: False,
            }
        )
    return found
