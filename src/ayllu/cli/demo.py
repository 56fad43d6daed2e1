"""`ayllu demo-setup`: a demo node with one assembly, created on first run and left alone after.

The demo members' key files live under DATA/demo-members/ (mode 0600), so the demo can act as them.
"""

from pathlib import Path

from ayllu.actions.record import (
    do_append,
    do_found_assembly,
    do_sign_checkpoint,
    do_verify_record,
    node_keypair,
)
from ayllu.core.keys import Keypair
from ayllu.core.record import Body, log_id_for, make_body, sign_act
from ayllu.queries.record import get_record_overview
from ayllu.storage import models
from ayllu.storage.keyfiles import load_or_create_key_file

DEMO_NAME = "Junta Vecinal Villa Esperanza"
FOUNDERS = ("ana", "bruno", "carmen")
ADMITTED = ("dario", "elena", "fabiola")
NOTICES = (
    ("ana", "Asamblea ordinaria el sábado 10 a las 18:00 en la sede vecinal."),
    ("carmen", "Se recuerda el turno de agua: cada familia revisa su día en la lista."),
    ("dario", "Minka para limpiar la cancha el domingo a las 8:00; traer herramientas."),
)


def _members(data_dir: Path) -> dict[str, Keypair]:
    folder = data_dir / "demo-members"
    return {name: load_or_create_key_file(folder / f"{name}.key") for name in (*FOUNDERS, *ADMITTED)}


def _founding_body(members: dict[str, Keypair]) -> Body:
    founders = [members[name].public for name in FOUNDERS]
    return make_body({"name": DEMO_NAME, "founders": founders}, vis="public")


def demo_setup(data_dir: Path) -> int:
    """Create the demo assembly unless it exists; print where things are."""
    node = node_keypair()
    members = _members(data_dir)
    founding = _founding_body(members)
    log = log_id_for(founding)
    if models.Record.objects.filter(log=log).exists():
        overview = get_record_overview(log)
        print(f"demo assembly already set up: {overview.name} ({overview.size} entries, record {log})")
        return 0
    signed = sign_act(members["ana"], log=log, type="assembly.founded", body=founding, nonce="founding")
    do_found_assembly(signed_act=signed, body=founding)
    for i, name in enumerate(ADMITTED):
        body = make_body({"member": members[name].public}, vis="members")
        sponsor = members[FOUNDERS[i % len(FOUNDERS)]]
        act = sign_act(sponsor, log=log, type="member.admitted", body=body, nonce=f"admit-{name}")
        do_append(log, signed_act=act, body=body)
    for i, (author, text) in enumerate(NOTICES):
        body = make_body({"text": text}, vis="public")
        act = sign_act(members[author], log=log, type="notice.posted", body=body, nonce=f"notice-{i}")
        do_append(log, signed_act=act, body=body)
    do_sign_checkpoint(log)
    report = do_verify_record(log)
    print(f"demo assembly created: {DEMO_NAME} (record {log})")
    print(f"  {report.size} entries, verified: {'ok' if report.ok else report.problem}")
    print(f"  node key {node.public}; demo member keys in {data_dir / 'demo-members'}")
    return 0
