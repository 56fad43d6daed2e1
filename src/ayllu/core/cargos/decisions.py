"""What the assembly's decisions do to cargos: create one, assign or recall a holder, grant an exemption.

Effects (the passed proposal's "effect"):
- cargo_creation {cargo, powers, burden, term_days, seats}: a cargo with enumerated powers (powers.py),
  an integer burden (its weight in the turn order), a term and 1 or 2 seats (paired holders). Its
  first term is filled by turn at once, or when the holders it already has (founding) step down.
- cargo_assignment {cargo, member, until}: the assembly names a holder itself (the charter's last
  fallback when nobody is eligible, or a cargo not filled by turn); on a turn cargo the holders it
  replaces step down and turns resume at `until`.
- recall {cargo, member}: the holder is out from that moment; a turn cargo's seat is filled by turn.
- exemption {household | member, start, end, reason}: no turns for them in [start, end).
"""

from typing import Any

from ayllu.core.assembly.bodies import MAX_ID, MAX_TITLE, get_int, get_str
from ayllu.core.assembly.rule_errors import InvalidEffect
from ayllu.core.assembly.state import AssemblyState, Cargo, ExemptionGrant
from ayllu.core.cargos.errors import CargoExists, InvalidExemption
from ayllu.core.cargos.powers import check_powers
from ayllu.core.cargos.terms import end_holding, fill_by_turn, grant_term, schedule, vacate
from ayllu.core.charter.rules import DAY_MS, MAX_SETTING
from ayllu.core.errors import MalformedBody

CREATION_FIELDS = {"cargo", "powers", "burden", "term_days", "seats"}
EXEMPTION_FIELDS = {"household", "member", "start", "end", "reason"}
MAX_BURDEN = 1000


def check_cargo_creation(state: AssemblyState, effect: dict[str, Any], *, seq: int) -> None:
    """Raise unless the effect names a new cargo with valid powers, burden, term and seats."""
    name = get_str(effect, "cargo", seq=seq, limit=MAX_ID)
    existing = state.cargos.get(name)
    if existing is not None and existing.created_seq:
        raise CargoExists(seq=seq, cargo=name)
    check_powers(effect.get("powers"), seq=seq)
    burden = get_int(effect, "burden", seq=seq, low=1)
    days = get_int(effect, "term_days", seq=seq, low=1)
    seats = get_int(effect, "seats", seq=seq, low=1)
    if burden > MAX_BURDEN or days * DAY_MS > MAX_SETTING or seats > 2:
        raise InvalidEffect(seq=seq, matter="cargo_creation", burden=burden, term_days=days, seats=seats)


def apply_cargo_creation(state: AssemblyState, effect: dict[str, Any], *, seq: int, now: int) -> None:
    cargo = state.cargos.setdefault(effect["cargo"], Cargo(effect["cargo"]))
    cargo.powers = check_powers(effect["powers"], seq=seq)
    cargo.burden, cargo.seats = effect["burden"], effect["seats"]
    cargo.term_ms, cargo.created_seq = effect["term_days"] * DAY_MS, seq
    current = [until for m, until in cargo.holders.items() if cargo.held_by(m, now=now)]
    if current:
        # Holders named at founding serve out their grant; turns begin when it ends.
        cargo.next_start = max(current)
    else:
        cargo.holders.clear()
        cargo.next_start = now + cargo.term_ms
        fill_by_turn(state, cargo, at=now, end=cargo.next_start, seq=seq)
    schedule(state)


def assign_by_decision(
    state: AssemblyState, *, name: str, member: str, until: int, seq: int, now: int
) -> None:
    """The assembly names `member` holder of cargo `name` until `until`."""
    cargo = state.cargos.setdefault(name, Cargo(name))
    if cargo.created_seq:
        for holder in [m for m in cargo.holders if m != member]:
            end_holding(cargo, holder, at=now, why="decision")
        cargo.asks_assembly_since = 0
        cargo.next_start = max(until, now + 1)
        schedule(state)
    end_holding(cargo, member, at=now, why="decision")
    grant_term(state, cargo, member=member, start=now, end=until, seq=seq, how="decision")


def recall_holder(state: AssemblyState, *, name: str, member: str, seq: int, now: int) -> None:
    """The assembly recalled `member` from cargo `name`: out now, the seat filled by turn."""
    vacate(state, state.cargos[name], member, at=now, why="recall", seq=seq)


def check_exemption(state: AssemblyState, effect: dict[str, Any], *, seq: int) -> None:
    """Raise unless the exemption names exactly one known household or member and a real period."""
    if ("household" in effect) == ("member" in effect):
        raise InvalidExemption(seq=seq, reason="household_or_member")
    if "household" in effect:
        household = get_str(effect, "household", seq=seq, limit=MAX_ID)
        if household not in state.households:
            raise InvalidExemption(seq=seq, household=household)
    else:
        member = get_str(effect, "member", seq=seq, limit=MAX_ID)
        if member not in state.members:
            raise InvalidExemption(seq=seq, member=member)
    start, end = get_int(effect, "start", seq=seq), get_int(effect, "end", seq=seq)
    if end <= start:
        raise MalformedBody(seq=seq, field="end", start=start, end=end)
    get_str(effect, "reason", seq=seq, limit=MAX_TITLE)


def apply_exemption(state: AssemblyState, effect: dict[str, Any], *, seq: int) -> None:
    state.exemptions.append(
        ExemptionGrant(
            seq=seq,
            start=effect["start"],
            end=effect["end"],
            reason=effect["reason"],
            household=effect.get("household", ""),
            member=effect.get("member", ""),
        )
    )
