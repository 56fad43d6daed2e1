"""Builders for the draw page's tests: a draw by lot open for commitments on the cargo assembly, members'
secrets, and the acts of committing, revealing and completing, signed as the member's device would."""

import hashlib
import secrets
from typing import Any

from ayllu.core.ledger.record import make_body, sign_act
from ayllu.core.sortition import Quota, commitment_for, recompute_draw
from ayllu.core.sortition.acts import draw_evidence
from ayllu.core.sortition.preparation import prepare_draw
from ayllu.queries.replayed import read_state

from .cargo_builders import BEACON, CargoAssembly

HOUR_MS = 3_600_000
ZONES = {"ana": "norte", "bea": "norte", "carla": "sur", "dora": "sur", "eva": "norte", "flor": "sur"}


def open_draw(asm: CargoAssembly, *, window_ms: int = HOUR_MS) -> int:
    """Carla records a draw of three from everyone, one or two per zone: committing is open for
    `window_ms`, revealing for as long again, and the beacon comes a window later."""
    pool = {asm.pub(n): {"zona": z} for n, z in ZONES.items()}
    quotas = [Quota("zona", "norte", 1, 2), Quota("zona", "sur", 1, 2)]
    now = asm.clock.now
    body = {
        "purpose": "Comisión de agua",
        **prepare_draw(pool, quotas=quotas, panel_size=3, size=100),
        "commit_until": now + window_ms,
        "reveal_until": now + 2 * window_ms,
        "beacon_chain": [{"source": BEACON["source"], "round": BEACON["round"]}],
        "beacon_after": now + 3 * window_ms,
    }
    return asm.act("carla", "draw.prepared", body)


def draw_record(asm: CargoAssembly, draw: int) -> Any:
    """The draw as replay holds it (commitments, reveals, deadlines, result)."""
    return read_state(asm.log, lambda s: s.draws[draw])


def secret_of(name: str) -> str:
    return hashlib.sha256(b"draw-page-secret/" + name.encode()).hexdigest()


def commitment_of(asm: CargoAssembly, draw: int, name: str, *, secret: str = "") -> str:
    lottery = draw_record(asm, draw).lottery_hash
    return commitment_for(bytes.fromhex(secret or secret_of(name)), lottery=lottery, member=asm.pub(name))


def commit(asm: CargoAssembly, draw: int, name: str) -> int:
    return asm.act(name, "draw.committed", {"draw": draw, "commitment": commitment_of(asm, draw, name)})


def signed_payload(asm: CargoAssembly, name: str, type: str, content: dict[str, Any]) -> dict[str, Any]:
    """What draw.js posts to the act route: the act signed with `name`'s key, the body's text."""
    body = make_body(content, vis="public")
    signed = sign_act(asm.keys[name], log=asm.log, type=type, body=body, nonce=secrets.token_hex(8))
    return {"act": signed.act.as_json(), "body": body.raw.decode(), "asig": signed.asig}


def complete(asm: CargoAssembly, draw: int, *, by: str = "eva") -> int:
    """Complete the draw with the beacon value, as `ayllu draw complete` does."""
    result = read_state(asm.log, lambda s: recompute_draw(draw_evidence(s.draws[draw], beacon=BEACON)))
    completion = {"draw": draw, "index": result.index, "panel": list(result.panel), "beacon": BEACON}
    return asm.act(by, "draw.completed", completion)
