"""`ayllu demo-setup`: a demo node with one assembly, created on first run and left alone after.

The assembly is a neighbourhood council in its second year (cli/demo_story.py), written act by act
through the real write path. The demo members' key files live under DATA/demo-members/ (mode 0600), so
the demo can act as them; in dev settings the node offers one household's key to visitors
(`AYLLU_DEMO_MEMBER_KEY`, web/views_demo.py).
"""

from pathlib import Path

from django.db import transaction

from ayllu.actions.notifications import SettingsChange, do_set_notification_settings
from ayllu.actions.record import do_sign_checkpoint, do_verify_record, node_keypair
from ayllu.cli.demo_story import DEMO_NAME, EVERYONE, VISITOR, write_story
from ayllu.core.ledger.keys import Keypair
from ayllu.queries.pages import get_member_id
from ayllu.queries.record import get_record_overview
from ayllu.storage import clock, models
from ayllu.storage.keyfiles import load_or_create_key_file


def demo_members(data_dir: Path) -> dict[str, Keypair]:
    """The demo members' keys, by name, made on first use."""
    folder = data_dir / "demo-members"
    return {name: load_or_create_key_file(folder / f"{name}.key") for name in EVERYONE}


def ask_for_mail(log: str, members: dict[str, Keypair]) -> None:
    """Every demo member asks for e-mail at an address of example.org: in dev settings the node's mail
    goes to the demo inbox (DATA/demo-inbox/), which the demo's Inbox page shows to visitors."""
    for name, keypair in members.items():
        member = get_member_id(log, key=keypair.public)
        if not member:
            continue
        change = SettingsChange(
            email=f"{name}@vecinos.example.org",
            email_on=True,
            language="es",
            quiet_start=None,
            quiet_end=None,
            utc_offset=-240,
            digest=False,
        )
        do_set_notification_settings(log, member=member, change=change)


def demo_setup(data_dir: Path) -> int:
    """Create the demo assembly unless it exists; print where things are."""
    node = node_keypair()
    members = demo_members(data_dir)
    existing = models.Record.objects.filter(name=DEMO_NAME).order_by("pk").first()
    if existing is not None:
        overview = get_record_overview(existing.log)
        print(
            f"demo assembly already set up: {overview.name} ({overview.size} entries, record {overview.log})"
        )
        return 0
    # One transaction: a story that fails halfway leaves nothing, and the node syncs the disk once.
    with transaction.atomic():
        story = write_story(members, now=clock.now_ms())
    do_sign_checkpoint(story.log)
    ask_for_mail(story.log, members)
    report = do_verify_record(story.log)
    print(f"demo assembly created: {DEMO_NAME} (record {story.log})")
    print(f"  {report.size} entries, verified: {'ok' if report.ok else report.problem}")
    print(f"  rules checked for {report.replayed} of {report.size} entries")
    print(f"  node key {node.public}; demo member keys in {data_dir / 'demo-members'}")
    print(f"  a visitor may act as {VISITOR} ({members[VISITOR].public[:8]}…) from the demo page")
    return 0
