"""Federations on this node's database: home records held here, a federation founded and seated here.

hold(home)                                     # a verified copy of an in-memory home record, kept here
fed = found_stored_federation({"ana": alto, "dora": bajo})
stored_seat(fed, "ana", seat_content(alto, credential))
"""

from typing import Any

from ayllu.actions.record import do_append, do_found_assembly, do_import_record
from ayllu.core.ledger.record import Body, BodyKey

from .assemblies import T0, Assembly
from .federations import federation_charter
from .keys import keypair
from .records import founding_act, signed

VISIBLE = frozenset(("public", "members"))


def hold(home: Assembly) -> None:
    """Keep a verified copy of an in-memory home record on this node (as a member node follows it)."""
    bodies: dict[BodyKey, Body] = {b.key: b for b in home.bodies.values()}
    raws = [e.raw for e in home.entries]
    report = do_import_record(
        home.log, entries=raws, bodies=dict(bodies), checkpoints=[], visible=VISIBLE, workers=1
    )
    assert report.ok, report


def found_stored_federation(delegates: dict[str, Assembly], *, charter: dict[str, Any] | None = None) -> str:
    """Found a federation on this node through the write path; return its log id."""
    act, body = founding_act(
        [(keypair(name), home.log) for name, home in delegates.items()],
        name="Federación de juntas vecinales",
        founded_at=T0,
        charter=federation_charter() if charter is None else charter,
    )
    do_found_assembly(signed_act=act, body=body)
    return act.act.log


def stored_seat(federation: str, delegate: str, content: dict[str, Any]) -> int:
    """Sign a seat as `delegate` and append it to the federation held here; return its seq."""
    act, body = signed(keypair(delegate), log=federation, type="federation.seated", content=content)
    return do_append(federation, signed_act=act, body=body).seq
