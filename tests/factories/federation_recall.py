"""A federation whose cargo a seated delegate holds by its decision, for recall petitions (decision 0033).

homes, fed, names = treasurer_scene()   # names: "alto", "alto_2" (alto's second), "bajo" (the holder), "sur"
treasurer_scene(node=node_keypair())    # sealed by this node, so its record can be held and written here
"""

from typing import Any

from ayllu.core.assembly.replay import apply_entry, initial_state
from ayllu.core.charter.founding import found_assembly
from ayllu.core.charter.rules import DAY_MS
from ayllu.core.ledger.keys import Keypair

from .assemblies import T0, Assembly
from .charters import cargo_charter
from .federations import (
    FEDERATION,
    accredit,
    federation_decides,
    found_home,
    give_federation_cargo,
    seat_content,
    seated_delegate,
)
from .keys import keypair, pub

PETITIONED, SIGNED = "recall.petitioned", "recall.signed"
# recall by a petition of two (member assemblies, in a federation), decided within ten days
RECALL = {"petition": 2, "threshold": "1/2", "voting_ms": 10 * DAY_MS}


def treasurer_scene(
    *, node: Keypair | None = None, cargo: str = "tesorero"
) -> tuple[list[Assembly], Assembly, dict[str, str]]:
    """Three member assemblies, each with a seated delegate, and alto with a second one; the federation
    (sealed by `node`) gave its treasurer cargo (or `cargo`, e.g. "minute_keeper") to bajo's delegate by
    decision. Return (homes, fed, names by role)."""
    homes = [found_home(["ana", "bea", "carla"]), found_home(["dora", "eva", "flor"])]
    homes.append(found_home(["gina", "hilda", "ines"]))
    charter = cargo_charter(federation=dict(FEDERATION), recall=RECALL)
    sealer = node or keypair("fed-node")
    entry, body = found_assembly(
        [(keypair(name), home.log) for name, home in zip(("ana", "dora", "gina"), homes, strict=True)],
        name="Federación de juntas vecinales",
        founded_at=T0,
        charter=charter,
        node=sealer,
    )
    fed = Assembly(log=entry.log, node=sealer, state=initial_state(entry.log), clock=T0)
    fed.state = apply_entry(fed.state, entry, body)
    fed.entries.append(entry)
    fed.bodies[body.hash] = body
    names = {
        role: seated_delegate(fed, home)[0] for role, home in zip(("alto", "bajo", "sur"), homes, strict=True)
    }
    second = give_federation_cargo(homes[0], fed.log, cargo="delegado_2")
    credential = accredit(homes[0], second, fed.log)
    fed.clock = max(fed.clock, homes[0].clock)
    fed.act(second, "federation.seated", seat_content(homes[0], credential))
    names["alto_2"] = second
    effect = {"cargo": cargo, "member": pub(names["bajo"]), "until": fed.clock + 60 * DAY_MS}
    federation_decides(fed, homes, "cargo_assignment", effect)
    return homes, fed, names


def petition_content(holder: str) -> dict[str, Any]:
    """The body of a recall petition against `holder` of the treasurer cargo."""
    return {"cargo": "tesorero", "member": pub(holder), "reason": "no rinde cuentas"}


def minutes_scene(*, node: Keypair | None = None) -> tuple[list[Assembly], Assembly, dict[str, str], int]:
    """`treasurer_scene` whose cargo is the federation's minute-keeper (bajo's delegate), and a meeting of
    the federation that alto's delegate convened as its convenor, given by a second decision. Return
    (homes, fed, names by role, the meeting's id)."""
    homes, fed, names = treasurer_scene(node=node, cargo="minute_keeper")
    effect = {"cargo": "convenor", "member": pub(names["alto"]), "until": fed.clock + 60 * DAY_MS}
    federation_decides(fed, homes, "cargo_assignment", effect)
    meeting = fed.act(names["alto"], "meeting.convened", {"title": "Ampliado", "starts": fed.clock + 1000})
    return homes, fed, names, meeting.seq
