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
from ayllu.core.charter.founding import FOUNDED, build_founding_body, build_founding_content, endorse_founding
from ayllu.core.charter.rules import default_charter_data
from ayllu.core.ledger.keys import Keypair
from ayllu.core.ledger.record import Body, log_id_for, make_body, sign_act
from ayllu.queries.record import get_record_overview
from ayllu.storage import clock, models
from ayllu.storage.keyfiles import load_or_create_key_file

DEMO_NAME = "Junta Vecinal Villa Esperanza"
FOUNDERS = ("ana", "bruno", "carmen")
ADMITTED = ("dario", "elena", "fabiola")
HOUSEHOLDS = {
    "ana": "manzano-3-lote-12",
    "bruno": "manzano-3-lote-14",
    "carmen": "manzano-5-lote-2",
    "dario": "manzano-5-lote-7",
    "elena": "manzano-7-lote-1",
    "fabiola": "manzano-7-lote-9",
}
NOTICES = (
    ("ana", "Asamblea ordinaria el sábado 10 a las 18:00 en la sede vecinal."),
    ("carmen", "Se recuerda el turno de agua: cada familia revisa su día en la lista."),
    ("dario", "Minka para limpiar la cancha el domingo a las 8:00; traer herramientas."),
)


def _members(data_dir: Path) -> dict[str, Keypair]:
    folder = data_dir / "demo-members"
    return {name: load_or_create_key_file(folder / f"{name}.key") for name in (*FOUNDERS, *ADMITTED)}


def _founding_body(members: dict[str, Keypair], *, founded_at: int) -> Body:
    content = build_founding_content(
        DEMO_NAME,
        founded_at=founded_at,
        charter=default_charter_data(),
        founders=[(members[name].public, HOUSEHOLDS[name]) for name in FOUNDERS],
    )
    return build_founding_body(content, [endorse_founding(members[name], content) for name in FOUNDERS])


def _act(
    members: dict[str, Keypair], log: str, author: str, type: str, content: dict[str, str], nonce: str
) -> None:
    body = make_body(content, vis="members" if type.startswith("member.") else "public", type=type)
    signed = sign_act(members[author], log=log, type=type, body=body, nonce=nonce)
    do_append(log, signed_act=signed, body=body)


def demo_setup(data_dir: Path) -> int:
    """Create the demo assembly unless it exists; print where things are."""
    node = node_keypair()
    members = _members(data_dir)
    existing = models.Record.objects.filter(name=DEMO_NAME).order_by("pk").first()
    if existing is not None:
        overview = get_record_overview(existing.log)
        print(
            f"demo assembly already set up: {overview.name} ({overview.size} entries, record {overview.log})"
        )
        return 0
    founding = _founding_body(members, founded_at=clock.now_ms())
    log = log_id_for(founding)
    signed = sign_act(members["ana"], log=log, type=FOUNDED, body=founding, nonce="founding")
    do_found_assembly(signed_act=signed, body=founding)
    for i, name in enumerate(ADMITTED):
        _act(members, log, name, "member.applied", {"household": HOUSEHOLDS[name]}, f"apply-{name}")
        for sponsor in (FOUNDERS[i % 3], FOUNDERS[(i + 1) % 3]):
            _act(
                members,
                log,
                sponsor,
                "member.sponsored",
                {"applicant": members[name].public},
                f"sponsor-{name}-{sponsor}",
            )
    for i, (author, text) in enumerate(NOTICES):
        _act(members, log, author, "notice.posted", {"text": text}, f"notice-{i}")
    do_sign_checkpoint(log)
    report = do_verify_record(log)
    print(f"demo assembly created: {DEMO_NAME} (record {log})")
    print(f"  {report.size} entries, verified: {'ok' if report.ok else report.problem}")
    print(f"  node key {node.public}; demo member keys in {data_dir / 'demo-members'}")
    return 0
