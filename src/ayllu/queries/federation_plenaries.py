"""Reads of a federation's plenaries and recall votes, and the federation page's forms for them
(docs/federation-bodies.md, decision 0028): a seated delegate signs their assembly present, anyone opens
a plenary (with quorum it opens; without it, after the charter's wait, it is postponed), a delegate casts
their assembly's voice on a recall vote as its stated mandate says, anyone closes a recall vote.

Each form is the whole body the core would accept now (asked with `refusal`, as the other federation
forms are), signed in the browser with the device key kept for a member assembly held here
(`data-key-log`). Ids, keys, seqs and times only: no words of any act.
"""

from dataclasses import dataclass, replace
from typing import Any

from ayllu.core.assembly.allowed import refusal
from ayllu.core.assembly.state import AssemblyState
from ayllu.core.assembly.words import ReadModel, fields_of
from ayllu.core.federations.offices import at_moment
from ayllu.core.federations.plenary import PlenaryOpened, PlenaryPresent, list_plenaries
from ayllu.core.federations.reads import RecallVoteRead, SittingRead
from ayllu.core.federations.recall_vote import RecallClosed, RecallVoted, list_recall_votes
from ayllu.core.ledger.canonical import canonical_bytes
from ayllu.storage import models

from .federation_votes import ANYONE, VoiceFormRead, _cited, mandated_voice, standing_seats
from .replayed import read_state


@dataclass(frozen=True, slots=True)
class PresenceFormRead(ReadModel):
    """A seated delegate's signature of their assembly's presence: the whole body their key signs."""

    assembly: str
    name: str
    key: str
    body: str


@dataclass(frozen=True, slots=True)
class PlenaryFormsRead(SittingRead):
    """A plenary with the presences delegates held here may sign now, and the opening (or postponing)
    anyone may sign ("" when the core would not take it now)."""

    presence: tuple[PresenceFormRead, ...] = ()
    open_body: str = ""

    def of_home(self, *, home: str, key: str) -> "PlenaryFormsRead":
        """The plenary as a delegate logged in at member assembly `home` with `key` sees it: their own
        presence, and the opening signed with the key this device keeps for `home`; none for `home` ""."""
        return replace(
            self,
            presence=tuple(f for f in self.presence if home and (f.assembly, f.key) == (home, key)),
            open_body=self.open_body if home else "",
        )


@dataclass(frozen=True, slots=True)
class RecallVoteFormsRead(RecallVoteRead):
    """A recall vote with the voices delegates held here may cast now, and its closing ("" when the
    core would not take it now)."""

    forms: tuple[VoiceFormRead, ...] = ()
    close_body: str = ""


@dataclass(frozen=True, slots=True)
class PlenariesPageRead(ReadModel):
    """The federation page's plenaries and recall votes, the member assembly whose kept key signs the
    anyone's acts (`key_log`, "" when none is held here), and whether any form is offered."""

    plenaries: tuple[PlenaryFormsRead, ...]
    recall_votes: tuple[RecallVoteFormsRead, ...]
    key_log: str
    key_name: str
    forms: bool

    def of_home(self, *, home: str, key: str) -> "PlenariesPageRead":
        """The page as a delegate logged in at member assembly `home` with `key` sees it: their own
        presences and voices, and anyone's acts signed with the key this device keeps for `home`. With
        `home` "" (an outsider, or a reader logged in elsewhere) no form at all: this device keeps no
        member assembly's key that the page knows of."""
        plenaries = tuple(p.of_home(home=home, key=key) for p in self.plenaries)
        votes = tuple(
            replace(
                v,
                forms=tuple(f for f in v.forms if home and (f.assembly, f.key) == (home, key)),
                close_body=v.close_body if home else "",
            )
            for v in self.recall_votes
        )
        return replace(
            self,
            plenaries=plenaries,
            recall_votes=votes,
            key_log=home,
            key_name=self.key_name if home == self.key_log else "",
            forms=any(p.presence or p.open_body for p in plenaries)
            or any(v.forms or v.close_body for v in votes),
        )


def _body(act: Any) -> str:
    return canonical_bytes(act.content()).decode("utf-8")


def get_plenaries_page(federation: str, *, now: int) -> PlenariesPageRead:
    """The federation's plenaries and recall votes at `now`, with the forms this node can offer."""
    state = read_state(federation, lambda s: at_moment(s, now=now))
    if state.rules.federation is None:
        return PlenariesPageRead(plenaries=(), recall_votes=(), key_log="", key_name="", forms=False)
    seats = standing_seats(state, now=now)
    names = _held_members(state)
    key_log = min(names) if names else ""
    plenaries = tuple(
        _plenary_forms(state, p, seats, names, key_log=key_log, now=now)
        for p in list_plenaries(state, now=now)
    )
    votes = []
    for vote in list_recall_votes(state, now=now):
        forms = (
            mandated_voice(
                state,
                RecallVoted,
                fields={"recall": vote.recall},
                seat=seat,
                names=names,
                federation=federation,
                question=vote.recall,
                now=now,
            )
            for seat in seats
        )
        closing = RecallClosed(recall=vote.recall)
        closes = key_log and refusal(state, key=ANYONE, act=closing, time=now) is None
        votes.append(
            RecallVoteFormsRead(
                **fields_of(vote),
                forms=tuple(f for f in forms if f is not None),
                close_body=_body(closing) if closes else "",
            )
        )
    return PlenariesPageRead(
        plenaries=plenaries,
        recall_votes=tuple(votes),
        key_log=key_log,
        key_name=names.get(key_log, ""),
        forms=any(p.presence or p.open_body for p in plenaries)
        or any(v.forms or v.close_body for v in votes),
    )


def get_plenary_forms(federation: str, meeting: int, *, now: int) -> PlenaryFormsRead | None:
    """One plenary at `now` with the forms this node can offer, as the federation page offers them (for
    its meeting's page); None when `meeting` is not a plenary of a federation."""
    state = read_state(federation, lambda s: at_moment(s, now=now))
    sitting = next((p for p in list_plenaries(state, now=now) if p.meeting == meeting), None)
    if sitting is None:
        return None
    names = _held_members(state)
    seats = standing_seats(state, now=now)
    return _plenary_forms(state, sitting, seats, names, key_log=min(names) if names else "", now=now)


def _held_members(state: AssemblyState) -> dict[str, str]:
    """The member assemblies whose records this node holds, by log id: their names."""
    held = models.Record.objects.filter(log__in=set(state.member_assemblies)).values_list("log", "name")
    return dict(held)


def _plenary_forms(
    state: AssemblyState,
    sitting: SittingRead,
    seats: list[tuple[str, str, int]],
    names: dict[str, str],
    *,
    key_log: str,
    now: int,
) -> PlenaryFormsRead:
    """A plenary with the presences its held delegates may sign now and its opening, where the core
    would take them."""
    presence = []
    for key, assembly, credential_seq in seats:
        cited = _cited(assembly, credential_seq) if assembly in names else None
        if cited is None:
            continue
        act = PlenaryPresent.parse({"meeting": sitting.meeting, "cites": [cited[0]]})
        if refusal(state, key=key, act=act, time=now) is None:
            presence.append(
                PresenceFormRead(assembly=assembly, name=names[assembly], key=key, body=_body(act))
            )
    opening = PlenaryOpened(meeting=sitting.meeting)
    opens = key_log and refusal(state, key=ANYONE, act=opening, time=now) is None
    return PlenaryFormsRead(
        **fields_of(sitting), presence=tuple(presence), open_body=_body(opening) if opens else ""
    )
