"""The plain facts a turn order is computed from: households, cargos, service, exemptions, swaps, rules.

Every fact is a frozen dataclass with ids and integer times (milliseconds); nothing here reads the
record itself, so the assembly state (or a test) builds a `RotationFacts` and passes it in. The
constructor sorts every collection, so the order in which facts are listed never changes a result.
"""

from dataclasses import dataclass, field

from ayllu.core.cargos.rotation.errors import DuplicateId, InvalidFallback, InvalidRotationFact, UnknownCargo

BY_TURN = "by_turn"
RELAX_REST_PERIOD = "relax_rest_period"
ASK_ASSEMBLY = "ask_assembly"
FALLBACKS = (RELAX_REST_PERIOD, ASK_ASSEMBLY)


@dataclass(frozen=True, slots=True)
class Household:
    """The unit of turns: a household and the members who may serve for it."""

    id: str
    members: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Cargo:
    """A rotating role: its burden (an integer weight), its term, and whether two households share it."""

    id: str
    burden: int
    term_ms: int
    paired: bool = False
    powers: tuple[str, ...] = ()

    @property
    def seats(self) -> int:
        return 2 if self.paired else 1


@dataclass(frozen=True, slots=True)
class Service:
    """One holder's term of one cargo, past or current; `end` is exclusive and earlier after a recall."""

    cargo: str
    household: str
    member: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Exemption:
    """An exemption granted by decision to a whole household or to one member, for [start, end)."""

    start: int
    end: int
    reason: str
    household: str | None = None
    member: str | None = None


@dataclass(frozen=True, slots=True)
class Swap:
    """Two households, both having signed, exchange their places in one cargo's turn order from `at`.

    The swap stays open until both have served that cargo after `at`; validating the signatures is the
    caller's work, the engine only applies the fact.
    """

    cargo: str
    first: str
    second: str
    at: int


@dataclass(frozen=True, slots=True)
class RotationRules:
    """The charter's rotation settings."""

    rest_ms: int = 0
    no_consecutive: bool = True
    max_cargos_per_person: int = 1
    max_cargos_per_household: int = 1
    when_nobody_eligible: tuple[str, ...] = (RELAX_REST_PERIOD, ASK_ASSEMBLY)


@dataclass(frozen=True, slots=True)
class RotationFacts:
    """Everything the turn order depends on; `seed` is fixed before any turn (the record's log id).

    `holdings` are terms of cargos not filled by turn (named at founding or by a decision): they are
    not in `cargos`, and they count only toward the limits on cargos held at once (per person and per
    household), never toward load, rest or the previous term.
    """

    seed: str
    households: tuple[Household, ...]
    cargos: tuple[Cargo, ...]
    services: tuple[Service, ...] = ()
    exemptions: tuple[Exemption, ...] = ()
    swaps: tuple[Swap, ...] = ()
    rules: RotationRules = field(default_factory=RotationRules)
    holdings: tuple[Service, ...] = ()

    def __post_init__(self) -> None:
        households = tuple(
            sorted((Household(h.id, tuple(sorted(set(h.members)))) for h in self.households), key=_id)
        )
        cargos = tuple(sorted(self.cargos, key=_id))
        _check_unique("household", [h.id for h in households])
        _check_unique("cargo", [c.id for c in cargos])
        _check_unique("member", [m for h in households for m in h.members])
        for cargo in cargos:
            if cargo.burden < 1 or cargo.term_ms < 1:
                raise InvalidRotationFact(cargo=cargo.id, burden=cargo.burden, term_ms=cargo.term_ms)
        known = {c.id for c in cargos}
        for cargo_id in [s.cargo for s in self.services] + [s.cargo for s in self.swaps]:
            if cargo_id not in known:
                raise UnknownCargo(cargo=cargo_id)
        for swap in self.swaps:
            if swap.first == swap.second:
                raise InvalidRotationFact(swap=swap.cargo, first=swap.first, second=swap.second)
        for service in self.services + self.holdings:
            if service.end <= service.start:
                raise InvalidRotationFact(service=service.cargo, start=service.start, end=service.end)
        for exemption in self.exemptions:
            if (exemption.household is None) == (
                exemption.member is None
            ) or exemption.end <= exemption.start:
                raise InvalidRotationFact(exemption=exemption.reason, start=exemption.start)
        _check_rules(self.rules)
        object.__setattr__(self, "households", households)
        object.__setattr__(self, "cargos", cargos)
        object.__setattr__(self, "services", tuple(sorted(set(self.services), key=_service_key)))
        object.__setattr__(self, "holdings", tuple(sorted(set(self.holdings), key=_service_key)))
        object.__setattr__(self, "exemptions", tuple(sorted(set(self.exemptions), key=_exemption_key)))
        object.__setattr__(self, "swaps", tuple(sorted(set(self.swaps), key=_swap_key)))

    def cargo(self, cargo_id: str) -> Cargo:
        """Return the cargo with this id; raise if the facts do not hold it."""
        for cargo in self.cargos:
            if cargo.id == cargo_id:
                return cargo
        raise UnknownCargo(cargo=cargo_id)


def _check_rules(rules: RotationRules) -> None:
    if rules.rest_ms < 0 or rules.max_cargos_per_person < 1 or rules.max_cargos_per_household < 1:
        raise InvalidRotationFact(
            rest_ms=rules.rest_ms,
            max_cargos_per_person=rules.max_cargos_per_person,
            max_cargos_per_household=rules.max_cargos_per_household,
        )
    steps = rules.when_nobody_eligible
    # Never "nobody": whatever the charter tries first, the last word belongs to the assembly.
    if (
        not steps
        or steps[-1] != ASK_ASSEMBLY
        or any(s not in FALLBACKS for s in steps)
        or len(set(steps)) < len(steps)
    ):
        raise InvalidFallback(when_nobody_eligible=steps)


def _check_unique(kind: str, ids: list[str]) -> None:
    seen: set[str] = set()
    for item in ids:
        if item in seen:
            raise DuplicateId(kind=kind, id=item)
        seen.add(item)


def _id(item: Household | Cargo) -> str:
    return item.id


def _service_key(s: Service) -> tuple[int, int, str, str, str]:
    return (s.start, s.end, s.cargo, s.household, s.member)


def _exemption_key(e: Exemption) -> tuple[int, int, str, str, str]:
    return (e.start, e.end, e.household or "", e.member or "", e.reason)


def _swap_key(s: Swap) -> tuple[int, str, str, str]:
    return (s.at, s.cargo, s.first, s.second)
