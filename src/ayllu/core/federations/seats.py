"""A federation's members: assemblies, each represented by the delegates it credentials.

A federation is a record founded like an assembly, whose charter holds a `federation` block
(charter/rules.py `FederationRules`); its founders are the founding assemblies' delegates, each named
with their assembly's log id in place of a household. Founding makes those assemblies members; it
seats nobody. A delegate stands in the federation only once seated:

- federation.seated {assembly, cites, credential, replaces?}: signed by the delegate's own key (a key
  that need not be a member of the federation's record), citing their home assembly's
  `delegate.accredited` entry (credentials.py) and carrying that entry's public body. Replay checks, by
  the citation's proof and that body alone, the same on every replica: the cited entry is of the
  assembly named, is a credential, names this federation, was signed by the seat's signer, and has not
  ended; the credential seats nobody else; the assembly is a member (or the charter lets it join by its
  first seat); and the assembly's delegation stays within the charter's `delegates_per_assembly`, a
  full delegation naming the seat this one `replaces`. A delegate's new seat replaces their own
  earlier one. Whether the home record's rules held for the credential (the cargo was really held) is
  checked where the home record is held, by the node that appends or follows the seat
  (actions/citations.py, decision 0016): what a replica holds never changes the federation's state.

A seat stands from its entry's time until its credential's end or until a later seat replaces it.
"""

from dataclasses import dataclass
from typing import Any

from ayllu.core.assembly.acts import HEX, KEY, LIST, OBJECT, act_field, act_kind
from ayllu.core.assembly.events import Context, Event, applies, rule
from ayllu.core.assembly.state import AssemblyState, MemberAssembly, Seat
from ayllu.core.federations.cited import CitingAct, assembly_citation, read_cited
from ayllu.core.federations.credentials import DelegateAccredited
from ayllu.core.federations.errors import (
    CredentialExpired,
    CredentialOtherAssembly,
    CredentialOtherFederation,
    CredentialUsed,
    DelegationFull,
    NotACredential,
    NotAMemberAssembly,
    NotYourCredential,
    UnknownSeat,
)
from ayllu.core.ledger.citations import Citation


@act_kind
class DelegateSeated(CitingAct):
    type = "federation.seated"
    name = "take-seat"
    summary = "Take a seat in a federation as your assembly's delegate, citing your credential"

    assembly: str = act_field(HEX, help="your assembly's log id")
    cites: list[Any] = act_field(
        LIST, help='[citation of your credential], e.g. "[$(ayllu cite HOME_LOG SEQ)]"'
    )
    credential: dict[str, Any] = act_field(OBJECT, help="the credential's body, as the cited entry signs it")
    replaces: str | None = act_field(KEY, default=None, help="the delegate whose seat this one takes")


@dataclass(frozen=True, slots=True)
class SeatTaken(Event):
    seq: int
    time: int
    key: str
    assembly: str
    until: int
    credential: tuple[str, int, str]
    ends: tuple[str, ...]  # keys of this assembly's seats that end now


def read_credential(citation: Citation, body: dict[str, Any], *, seq: int) -> DelegateAccredited:
    """The credential a cited entry states, from its body; raise NotACredential unless the entry is a
    `delegate.accredited` whose signed body hash is this body's, public, and well formed."""
    return read_cited(citation, body, DelegateAccredited, seq=seq, refused=NotACredential)


def standing_seats(state: AssemblyState, assembly: str, *, now: int) -> list[Seat]:
    """The seats of `assembly` that stand at `now`, in the order they were taken."""
    member = state.member_assemblies.get(assembly)
    return [] if member is None else [s for s in member.seats if s.stands(now=now)]


def seated_delegate(state: AssemblyState, key: str, *, now: int) -> Seat | None:
    """The seat `key` stands in at `now`, if any (the latest, should a key sit for two assemblies)."""
    members = state.member_assemblies.values()
    seats = [s for m in members for s in m.seats if s.key == key and s.stands(now=now)]
    return max(seats, key=lambda s: s.seq) if seats else None


@rule(DelegateSeated)
def decide_seat(state: AssemblyState, act: DelegateSeated, ctx: Context) -> list[Event]:
    """Seat the signer as their assembly's delegate, on the credential they cite."""
    citation = assembly_citation(
        state, act, ctx, assembly=act.assembly, reason="one_credential", other=CredentialOtherAssembly
    )
    credential = read_credential(citation, act.credential, seq=ctx.seq)
    if credential.federation != state.log:
        raise CredentialOtherFederation(seq=ctx.seq, federation=credential.federation)
    if citation.header.author != ctx.key:
        raise NotYourCredential(seq=ctx.seq, key=ctx.key, credential_key=citation.header.author)
    if credential.until <= ctx.time:
        raise CredentialExpired(seq=ctx.seq, until=credential.until)
    used = state.seats_by_credential.get((citation.log, citation.seq))
    if used is not None:
        raise CredentialUsed(seq=ctx.seq, seat=used.seq)
    rules = state.rules.federation
    assert rules is not None  # assembly_citation refused a record that is not a federation's
    if act.assembly not in state.member_assemblies and rules.joining != "open":
        raise NotAMemberAssembly(seq=ctx.seq, assembly=act.assembly)
    standing = standing_seats(state, act.assembly, now=ctx.time)
    ends = [s.key for s in standing if s.key == ctx.key]
    if act.replaces is not None:
        if act.replaces == ctx.key or act.replaces not in {s.key for s in standing}:
            raise UnknownSeat(seq=ctx.seq, assembly=act.assembly, key=act.replaces)
        ends.append(act.replaces)
    if len(standing) - len(ends) >= rules.delegates_per_assembly:
        raise DelegationFull(seq=ctx.seq, assembly=act.assembly, limit=rules.delegates_per_assembly)
    held = (citation.log, citation.seq, citation.entry)
    return [SeatTaken(ctx.seq, ctx.time, ctx.key, act.assembly, credential.until, held, tuple(ends))]


@applies(SeatTaken)
def apply_seat(state: AssemblyState, event: SeatTaken) -> None:
    member = state.member_assemblies.get(event.assembly)
    if member is None:
        member = MemberAssembly(event.assembly, event.seq, founding=False)
        state.member_assemblies[event.assembly] = member
    for seat in member.seats:
        if seat.key in event.ends and seat.stands(now=event.time):
            seat.ended, seat.ended_by = event.time, event.seq
    seat = Seat(event.key, event.assembly, event.seq, event.time, event.until, event.credential)
    member.seats.append(seat)
    state.seats_by_credential[seat.credential[:2]] = seat


# --- founding a federation ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FederationFounded(Event):
    seq: int
    assemblies: tuple[str, ...]


@applies(FederationFounded)
def apply_federation_founded(state: AssemblyState, event: FederationFounded) -> None:
    for log in event.assemblies:
        state.member_assemblies[log] = MemberAssembly(log, event.seq, founding=True)


# --- reads --------------------------------------------------------------------------------------------


def list_member_assemblies(state: AssemblyState, *, now: int) -> list[dict[str, Any]]:
    """The federation's member assemblies, founding ones first, then by when they joined; each with its
    seats (newest first) and whether each stands at `now`. Keys and ids only: no words of any act."""
    members = sorted(state.member_assemblies.values(), key=lambda m: (not m.founding, m.seq, m.log))
    return [
        {
            "assembly": m.log,
            "founding": m.founding,
            "seq": m.seq,
            "standing": sum(1 for s in m.seats if s.stands(now=now)),
            "seats": [
                {
                    "key": s.key,
                    "seq": s.seq,
                    "time": s.time,
                    "until": s.until,
                    "ended": s.ended,
                    "ended_by": s.ended_by,
                    "stands": s.stands(now=now),
                    "credential_log": s.credential[0],
                    "credential_seq": s.credential[1],
                }
                for s in sorted(m.seats, key=lambda s: -s.seq)
            ],
        }
        for m in members
    ]
