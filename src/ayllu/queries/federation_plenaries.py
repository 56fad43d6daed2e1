"""Reads of a federation's plenaries and recall votes, and the federation page's forms for them
(docs/federation-bodies.md, decision 0028): a seated delegate signs their assembly present, anyone opens
a plenary (with quorum it opens; without it, after the charter's wait, it is postponed), a delegate casts
their assembly's voice on a recall vote as its stated mandate says, anyone closes a recall vote.

Each form is the whole body the core would accept now (asked with `refusal`, as the other federation
forms are), signed in the browser with the device key kept for a member assembly held here
(`data-key-log`). Ids, keys, seqs and times only: no words of any act.
"""

from typing import Any

from ayllu.core.assembly.allowed import refusal
from ayllu.core.assembly.state import AssemblyState
from ayllu.core.federations.offices import at_moment
from ayllu.core.federations.plenary import PlenaryOpened, PlenaryPresent, list_plenaries
from ayllu.core.federations.recall_vote import RecallClosed, RecallVoted, list_recall_votes
from ayllu.core.ledger.canonical import canonical_bytes
from ayllu.core.mandates.acts import ABSTAIN
from ayllu.storage import models

from .federation_votes import ANYONE, _cited, _stated_mandate
from .replayed import read_state


def _body(act: Any) -> str:
    return canonical_bytes(act.content()).decode("utf-8")


def _held_seats(state: AssemblyState, *, now: int) -> tuple[list[tuple[str, str, int]], dict[str, str]]:
    """The seats standing at `now` whose assembly's record this node holds, and those assemblies' names."""
    seats = [
        (s.key, s.assembly, s.credential[1])
        for m in state.member_assemblies.values()
        for s in m.seats
        if s.stands(now=now)
    ]
    held = models.Record.objects.filter(log__in=set(state.member_assemblies)).values_list("log", "name")
    return seats, dict(held)


def get_plenaries_page(federation: str, *, now: int) -> dict[str, Any]:
    """The federation's plenaries and recall votes at `now`, with the forms this node can offer."""
    state = read_state(federation, lambda s: at_moment(s, now=now))
    if state.rules.federation is None:
        return {"plenaries": [], "recall_votes": [], "key_log": "", "forms": False}
    seats, names = _held_seats(state, now=now)
    key_log = min(names) if names else ""
    plenaries = list_plenaries(state, now=now)
    for plenary in plenaries:
        meeting = plenary["meeting"]
        plenary["presence"] = []
        for key, assembly, credential_seq in seats:
            cited = _cited(assembly, credential_seq) if assembly in names else None
            if cited is None:
                continue
            act = PlenaryPresent.parse({"meeting": meeting, "cites": [cited[0]]})
            if refusal(state, key=key, act=act, time=now) is None:
                plenary["presence"].append(
                    {"assembly": assembly, "name": names[assembly], "key": key, "body": _body(act)}
                )
        opening = PlenaryOpened(meeting=meeting)
        plenary["open_body"] = (
            _body(opening) if key_log and refusal(state, key=ANYONE, act=opening, time=now) is None else ""
        )
    votes = list_recall_votes(state, now=now)
    for vote in votes:
        vote["forms"] = _recall_forms(state, federation, vote["recall"], seats, names, now=now)
        closing = RecallClosed(recall=vote["recall"])
        vote["close_body"] = (
            _body(closing) if key_log and refusal(state, key=ANYONE, act=closing, time=now) is None else ""
        )
    forms = any(p["presence"] or p["open_body"] for p in plenaries) or any(
        v["forms"] or v["close_body"] for v in votes
    )
    return {
        "plenaries": plenaries,
        "recall_votes": votes,
        "key_log": key_log,
        "key_name": names.get(key_log, ""),
        "forms": forms,
    }


def _recall_forms(
    state: AssemblyState,
    federation: str,
    recall: int,
    seats: list[tuple[str, str, int]],
    names: dict[str, str],
    *,
    now: int,
) -> list[dict[str, Any]]:
    """The voices on recall vote `recall` that delegates whose home records are held here may cast now:
    their assembly's stated mandate on it, or an abstention."""
    out = []
    for key, assembly, credential_seq in seats:
        credential = _cited(assembly, credential_seq) if assembly in names else None
        if credential is None:
            continue
        content: dict[str, Any] = {"recall": recall, "choice": ABSTAIN, "cites": [credential[0]]}
        stated = _stated_mandate(assembly, federation=federation, question=recall)
        mandate = _cited(assembly, stated) if stated else None
        if mandate is not None:
            content.update(choice=mandate[1]["position"], mandate=mandate[1])
            content["cites"].append(mandate[0])
        act = RecallVoted.parse(content)
        if refusal(state, key=key, act=act, time=now) is not None:
            continue
        out.append(
            {
                "assembly": assembly,
                "name": names[assembly],
                "key": key,
                "choice": act.choice,
                "mandated": mandate is not None,
                "body": _body(act),
            }
        )
    return out
