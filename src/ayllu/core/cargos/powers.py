"""The powers a cargo may carry: an enumerated list, none of which can change the record, the charter or
membership; and the check that an act's author holds a current cargo with the power it needs.

Powers:
- convene_meetings: sign `meeting.convened` (and chair that meeting);
- keep_minutes: add signed notes to the minutes (`minutes.note_added`);
- publish_announcements: sign `announcement.published` in the assembly's name;
- keep_accounts, coordinate_work, keep_archive: named duties with no act of their own yet;
- represent_in:<body>: act as the assembly's delegate in another body, bound by its mandates;
- office_in:<federation>:<office>: serve the federation's office when it is the assembly's turn
  (core/federations/offices.py: the holder's credential for that office).
Anything else is refused; names that would reach the record, the charter or membership are refused
with their own code (`forbidden_power`) so the reason reads clearly.
"""

from typing import Any

from ayllu.core.assembly.bodies import MAX_ID
from ayllu.core.assembly.state import AssemblyState
from ayllu.core.cargos.errors import ForbiddenPower, UnknownPower
from ayllu.core.errors import MalformedBody

CONVENE_MEETINGS = "convene_meetings"
KEEP_MINUTES = "keep_minutes"
PUBLISH_ANNOUNCEMENTS = "publish_announcements"
REPRESENT_IN = "represent_in:"
OFFICE_IN = "office_in:"
# office_in:<64 hex>:<office of at most 32 characters>
MAX_OFFICE_POWER = len(OFFICE_IN) + 64 + 1 + 32
POWERS = (
    CONVENE_MEETINGS,
    KEEP_MINUTES,
    PUBLISH_ANNOUNCEMENTS,
    "keep_accounts",
    "coordinate_work",
    "keep_archive",
)
MAX_POWERS = 16

# Words that would give one person what only the assembly's procedure may do.
FORBIDDEN_WORDS = (
    "charter",
    "member",
    "admit",
    "suspend",
    "record",
    "entry",
    "entries",
    "key",
    "decide",
    "veto",
)

# Cargos that exist only by founding or by a `cargo_assignment` decision keep the powers their names
# have always meant (issue 3's registry); every other cargo has exactly the powers it was created with.
HISTORIC_POWERS = {"convenor": (CONVENE_MEETINGS,), "minute_keeper": (KEEP_MINUTES,)}


def represent_in(body: str) -> str:
    """The power to represent the assembly in `body`."""
    return f"{REPRESENT_IN}{body}"


def office_in(federation: str, office: str) -> str:
    """The power to serve `office` in `federation` for the assembly, when it is the assembly's turn."""
    return f"{OFFICE_IN}{federation}:{office}"


def check_powers(powers: Any, *, seq: int) -> tuple[str, ...]:
    """Return the validated power list (sorted, unique); raise naming the first bad power."""
    if not isinstance(powers, list) or len(powers) > MAX_POWERS:
        raise MalformedBody(seq=seq, field="powers")
    checked: set[str] = set()
    for power in powers:
        limit = (
            MAX_OFFICE_POWER
            if isinstance(power, str) and power.startswith(OFFICE_IN)
            else MAX_ID + len(REPRESENT_IN)
        )
        if not isinstance(power, str) or not power or len(power) > limit:
            raise MalformedBody(seq=seq, field="powers", value=str(power)[:80])
        if power.startswith(OFFICE_IN):
            federation, _, office = power[len(OFFICE_IN) :].partition(":")
            if not federation.strip() or not office.strip():
                raise UnknownPower(seq=seq, power=power)
        elif power.startswith(REPRESENT_IN):
            if not power[len(REPRESENT_IN) :].strip():
                raise UnknownPower(seq=seq, power=power)
        elif power not in POWERS:
            if any(word in power for word in FORBIDDEN_WORDS):
                raise ForbiddenPower(seq=seq, power=power)
            raise UnknownPower(seq=seq, power=power)
        checked.add(power)
    return tuple(sorted(checked))


def cargo_powers(state: AssemblyState, name: str) -> tuple[str, ...]:
    """The powers of cargo `name` (none if it does not exist)."""
    cargo = state.cargos.get(name)
    if cargo is None:
        return ()
    return cargo.powers if cargo.created_seq else HISTORIC_POWERS.get(name, ())


def holds_power(state: AssemblyState, member: str, power: str, *, now: int) -> bool:
    """True when `member` holds, at `now`, a cargo that carries `power`."""
    return any(
        cargo.held_by(member, now=now) and power in cargo_powers(state, name)
        for name, cargo in state.cargos.items()
    )


def list_powers_of(state: AssemblyState, member: str, *, now: int) -> list[tuple[str, str]]:
    """Every (cargo, power) `member` holds at `now`, sorted."""
    return sorted(
        (name, power)
        for name, cargo in state.cargos.items()
        if cargo.held_by(member, now=now)
        for power in cargo_powers(state, name)
    )
