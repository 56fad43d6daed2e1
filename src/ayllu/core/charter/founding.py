"""Founding an assembly: the record's first entry, endorsed by every founder.

The body of `assembly.founded` is
    {"name", "founded_at": ms, "charter": {...}, "founders": [{"key", "household"}],
     "cargos": [{"cargo", "holder", "until": ms}], "endorsements": [{"key", "sig"}]}
Each founder signs ENDORSE_CONTEXT || canonical(body without "endorsements"); replay requires exactly one
valid endorsement per founder, the author to be a founder, a valid charter, and the record's id to be
`log_id_for(body)`. Initial cargo holders must be founders and every grant has an end (`until`).

The founding is an act kind like the others (`AssemblyFounded`, decided by `decide_founding`), signed
by a founder before the record has members (`Signer.FOUNDER`). It is not in the catalogue: it has its
own routes, since its body names the record.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ayllu.core.assembly.acts import LIST, OBJECT, TIME, TITLE, Act, Signer, act_field, act_kind
from ayllu.core.assembly.bodies import MAX_ID, get_int, get_str
from ayllu.core.assembly.events import Context, Event, applies, rule
from ayllu.core.assembly.rule_errors import BadEndorsement, MissingEndorsement, NotAFounder
from ayllu.core.assembly.state import AssemblyState, Cargo
from ayllu.core.cargos.terms import grant_term
from ayllu.core.charter.members import add_member
from ayllu.core.charter.rules import Charter, check_within_reach, parse_charter
from ayllu.core.errors import AlreadyFounded, MalformedBody, WrongLog
from ayllu.core.federations.errors import NotAnAssemblyId
from ayllu.core.federations.seats import FederationFounded
from ayllu.core.ledger.canonical import canonical_bytes
from ayllu.core.ledger.keys import (
    ENDORSE_CONTEXT,
    HEX_KEY_LENGTH,
    HEX_SIGNATURE_LENGTH,
    Keypair,
    is_hex,
    verify_signature,
)
from ayllu.core.ledger.record import Body, Entry, SignedAct, log_id_for, make_body, seal_entry, sign_act

FOUNDED = "assembly.founded"


def build_founding_content(
    name: str,
    *,
    founded_at: int,
    charter: dict[str, Any],
    founders: list[tuple[str, str]],
    cargos: Sequence[tuple[str, str, int]] = (),
) -> dict[str, Any]:
    """The content every founder endorses: founders (key, household), cargos (name, holder, until)."""
    return {
        "name": name,
        "founded_at": founded_at,
        "charter": charter,
        "founders": [{"key": key, "household": household} for key, household in founders],
        "cargos": [{"cargo": cargo, "holder": holder, "until": until} for cargo, holder, until in cargos],
    }


def endorse_founding(founder: Keypair, content: dict[str, Any]) -> dict[str, str]:
    """A founder's endorsement of the founding content (made on the founder's own device)."""
    return {"key": founder.public, "sig": founder.sign(ENDORSE_CONTEXT, canonical_bytes(content))}


def build_founding_body(content: dict[str, Any], endorsements: list[dict[str, str]]) -> Body:
    """The founding body: the content plus one endorsement per founder; its hash names the record."""
    return make_body({**content, "endorsements": endorsements}, vis="public")


def found_assembly(
    founders: list[tuple[Keypair, str]],
    *,
    name: str,
    founded_at: int,
    charter: dict[str, Any],
    node: Keypair,
    cargos: Sequence[tuple[str, str, int]] = (),
    time: int | None = None,
) -> tuple[Entry, Body]:
    """Build, endorse, sign and seal a founding entry in one go (tests, demos, the CLI's `found`)."""
    content = build_founding_content(
        name,
        founded_at=founded_at,
        charter=charter,
        founders=[(keypair.public, household) for keypair, household in founders],
        cargos=cargos,
    )
    body = build_founding_body(content, [endorse_founding(keypair, content) for keypair, _ in founders])
    signed: SignedAct = sign_act(
        founders[0][0], log=log_id_for(body), type=FOUNDED, body=body, nonce="founding"
    )
    entry = seal_entry(signed, seq=1, prev="", time=founded_at if time is None else time, node=node)
    return entry, body


# --- the act --------------------------------------------------------------------------------------


@act_kind
class AssemblyFounded(Act):
    """The record's first entry, signed by a founder and endorsed by every founder.

    Left out of the catalogue: its body carries every founder's endorsement and names the record (the
    log id is derived from it), so it has its own routes (the API's `POST /assemblies`, `ayllu found`,
    the founding drafts) instead of being an act on a record that exists.
    """

    type = FOUNDED
    name = "found"
    summary = "Found an assembly, endorsed by every founder"
    signer = Signer.FOUNDER
    catalogued = False

    assembly_name: str = act_field(TITLE, key="name", help="the assembly's name")
    founded_at: int = act_field(TIME)
    charter: dict[str, Any] = act_field(OBJECT, help="the charter as data (charter/rules.py)")
    founders: list[Any] = act_field(LIST, help="[{key, household}], one per founder")
    cargos: list[Any] = act_field(LIST, help="[{cargo, holder, until}], cargos held from the founding")
    endorsements: list[Any] = act_field(LIST, help="[{key, sig}], one per founder")


# --- events ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FounderJoined(Event):
    key: str
    household: str
    seq: int


@dataclass(frozen=True, slots=True)
class FoundingCargoGranted(Event):
    cargo: str
    holder: str
    start: int
    until: int
    seq: int


@dataclass(frozen=True, slots=True)
class AssemblyChartered(Event):
    name: str
    charter: Charter
    seq: int


# --- the rule -------------------------------------------------------------------------------------


@rule(AssemblyFounded)
def decide_founding(state: AssemblyState, act: AssemblyFounded, ctx: Context) -> list[Event]:
    """Founders become members, cargos named at the founding are held, the charter takes force.

    Replay has checked that the record's id derives from this body; a founding anywhere but first is
    refused here, after its signer was found to be a member (a key that is no member's learns nothing).
    """
    seq = ctx.seq
    if state.size:
        raise AlreadyFounded(seq=seq)
    charter = parse_charter(act.charter)
    founders = _founders(act.founders, seq)
    if ctx.key not in founders:
        raise NotAFounder(seq=seq, key=ctx.key)
    check_within_reach(charter, members=len(founders))
    _check_endorsements(act, founders, seq)
    cargos = _cargos(act.cargos, founders, seq)
    federation = _federation_founded(state, charter, founders, seq)
    return [
        *(FounderJoined(key=key, household=household, seq=seq) for key, household in founders.items()),
        *(
            FoundingCargoGranted(cargo=cargo, holder=holder, start=ctx.time, until=until, seq=seq)
            for cargo, holder, until in cargos
        ),
        AssemblyChartered(name=act.assembly_name, charter=charter, seq=seq),
        *federation,
    ]


def _federation_founded(
    state: AssemblyState, charter: Charter, founders: dict[str, str], seq: int
) -> list[Event]:
    """A federation's founders are delegates named with their assembly's log id in place of a household:
    those assemblies are its first members (docs/federation-bodies.md)."""
    if charter.federation is None:
        return []
    for household in founders.values():
        if not is_hex(household, HEX_KEY_LENGTH) or household == state.log:
            raise NotAnAssemblyId(seq=seq, assembly=household)
    return [FederationFounded(seq=seq, assemblies=tuple(sorted(set(founders.values()))))]


@applies(FounderJoined)
def apply_founder(state: AssemblyState, event: FounderJoined) -> None:
    add_member(state, key=event.key, household=event.household, seq=event.seq)


@applies(FoundingCargoGranted)
def apply_founding_cargo(state: AssemblyState, event: FoundingCargoGranted) -> None:
    cargo = state.cargos.setdefault(event.cargo, Cargo(event.cargo))
    grant_term(
        state, cargo, member=event.holder, start=event.start, end=event.until, seq=event.seq, how="founding"
    )


@applies(AssemblyChartered)
def apply_founding_charter(state: AssemblyState, event: AssemblyChartered) -> None:
    state.name = event.name
    state.charter = event.charter
    state.charters.append((event.seq, event.charter))


def check_founding_log(state: AssemblyState, entry: Entry, body: Body | None) -> None:
    """Raise unless the record's id is the one derived from this founding body."""
    if body is None:
        raise MalformedBody(seq=entry.seq, reason="body_needed_for_rules")
    if log_id_for(body) != state.log:
        raise WrongLog(seq=entry.seq, reason="log_not_derived_from_founding_body")


def _founders(items: list[Any], seq: int) -> dict[str, str]:
    if not items:
        raise MalformedBody(seq=seq, field="founders")
    founders: dict[str, str] = {}
    for item in items:
        if (
            not isinstance(item, dict)
            or set(item) != {"key", "household"}
            or not is_hex(item["key"], HEX_KEY_LENGTH)
        ):
            raise MalformedBody(seq=seq, field="founders")
        household = get_str(item, "household", seq=seq, limit=MAX_ID)
        if item["key"] in founders:
            raise MalformedBody(seq=seq, field="founders", reason="duplicate", key=item["key"])
        founders[item["key"]] = household
    return founders


def _check_endorsements(act: AssemblyFounded, founders: dict[str, str], seq: int) -> None:
    signed = canonical_bytes({k: v for k, v in act.content().items() if k != "endorsements"})
    endorsed: set[str] = set()
    for item in act.endorsements:
        if (
            not isinstance(item, dict)
            or set(item) != {"key", "sig"}
            or not is_hex(item["sig"], HEX_SIGNATURE_LENGTH)
        ):
            raise MalformedBody(seq=seq, field="endorsements")
        key = item["key"]
        if key not in founders:
            raise NotAFounder(seq=seq, key=key)
        if key in endorsed:
            raise MalformedBody(seq=seq, field="endorsements", reason="duplicate", key=key)
        if not verify_signature(key, ENDORSE_CONTEXT, signed, item["sig"]):
            raise BadEndorsement(seq=seq, key=key)
        endorsed.add(key)
    missing = sorted(set(founders) - endorsed)
    if missing:
        raise MissingEndorsement(seq=seq, keys=missing)


def _cargos(items: list[Any], founders: dict[str, str], seq: int) -> list[tuple[str, str, int]]:
    cargos = []
    for item in items:
        if not isinstance(item, dict) or set(item) != {"cargo", "holder", "until"}:
            raise MalformedBody(seq=seq, field="cargos")
        if item["holder"] not in founders:
            raise NotAFounder(seq=seq, key=item["holder"], reason="cargo_holder")
        cargos.append(
            (get_str(item, "cargo", seq=seq, limit=MAX_ID), item["holder"], get_int(item, "until", seq=seq))
        )
    return cargos
