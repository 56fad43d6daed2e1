"""Founding an assembly: the record's first entry, endorsed by every founder.

The body of `assembly.founded` is
    {"name", "founded_at": ms, "charter": {...}, "founders": [{"key", "household"}],
     "cargos": [{"cargo", "holder", "until": ms}], "endorsements": [{"key", "sig"}]}
Each founder signs ENDORSE_CONTEXT || canonical(body without "endorsements"); replay requires exactly one
valid endorsement per founder, the author to be a founder, a valid charter, and the record's id to be
`log_id_for(body)`. Initial cargo holders must be founders and every grant has an end (`until`).
"""

from collections.abc import Sequence
from typing import Any

from ayllu.core.assembly.bodies import MAX_ID, MAX_TITLE, get_int, get_str, only_fields
from ayllu.core.assembly.rule_errors import BadEndorsement, MissingEndorsement, NotAFounder
from ayllu.core.assembly.state import AssemblyState, Cargo
from ayllu.core.cargos.terms import grant_term
from ayllu.core.charter.members import add_member
from ayllu.core.charter.rules import parse_charter
from ayllu.core.errors import MalformedBody, WrongLog
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
FOUNDING_FIELDS = {"name", "founded_at", "charter", "founders", "cargos", "endorsements"}


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


def do_founded(state: AssemblyState, entry: Entry, body: Body | None) -> None:
    """Check the founding entry and fold it: founders become members, the charter takes force."""
    if body is None:
        raise MalformedBody(seq=entry.seq, reason="body_needed_for_rules")
    if log_id_for(body) != state.log:
        raise WrongLog(seq=entry.seq, reason="log_not_derived_from_founding_body")
    content = body.content()
    seq = entry.seq
    only_fields(content, FOUNDING_FIELDS, seq=seq)
    name = get_str(content, "name", seq=seq, limit=MAX_TITLE)
    get_int(content, "founded_at", seq=seq)
    charter = parse_charter(content.get("charter"))
    founders = _founders(content, seq)
    if entry.author not in founders:
        raise NotAFounder(seq=seq, key=entry.author)
    _check_endorsements(content, founders, seq)
    cargos = _cargos(content, founders, seq)
    for key, household in founders.items():
        add_member(state, key=key, household=household, seq=seq)
    for cargo_name, holder, until in cargos:
        cargo = state.cargos.setdefault(cargo_name, Cargo(cargo_name))
        grant_term(state, cargo, member=holder, start=entry.time, end=until, seq=seq, how="founding")
    state.name = name
    state.charter = charter
    state.charters.append((seq, charter))


def _founders(content: dict[str, Any], seq: int) -> dict[str, str]:
    items = content.get("founders")
    if not isinstance(items, list) or not items:
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


def _check_endorsements(content: dict[str, Any], founders: dict[str, str], seq: int) -> None:
    items = content.get("endorsements")
    if not isinstance(items, list):
        raise MalformedBody(seq=seq, field="endorsements")
    signed = canonical_bytes({k: v for k, v in content.items() if k != "endorsements"})
    endorsed: set[str] = set()
    for item in items:
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


def _cargos(content: dict[str, Any], founders: dict[str, str], seq: int) -> list[tuple[str, str, int]]:
    items = content.get("cargos")
    if not isinstance(items, list):
        raise MalformedBody(seq=seq, field="cargos")
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
