"""The demo node's Inbox page: the mail its deliverer sent, caught in files under the data dir instead of
leaving the node, shown to visitors of the demo assembly only."""

import time
from pathlib import Path

import pytest
from django.test import Client
from django.test.utils import override_settings

from ayllu.actions.notifications import SettingsChange, do_set_notification_settings
from ayllu.actions.record import forget_replayed_state
from ayllu.notify.channels import EmailChannel
from ayllu.notify.delivery import deliver_once
from ayllu.queries.pages import get_member_id
from ayllu.storage.keyfiles import create_key_file
from factories.keys import keypair
from factories.stored import UNTIL, act, found

DAY_MS = 24 * 3600 * 1000


@pytest.fixture
def demo_key_file(tmp_path: Path) -> Path:
    path = tmp_path / "demo-members" / "elena.key"
    path.parent.mkdir()
    create_key_file(path, seed=keypair("elena", family="demo").seed())
    return path


def test_the_demo_inbox_shows_what_members_were_sent(
    client: Client, db: None, demo_key_file: Path, tmp_path: Path
) -> None:
    # given a demo assembly where a meeting was convened and a member asked for e-mail, and an assembly
    # that is not the demo's
    forget_replayed_state()
    visitor, convenor = keypair("elena", family="demo"), keypair(1)
    demo = found(
        "Junta Vecinal Villa Esperanza",
        members=[convenor, visitor],
        cargos=[("convenor", convenor.public, UNTIL)],
    )
    now = int(time.time() * 1000)
    act(demo, convenor, "meeting.convened", {"title": "Asamblea de diciembre", "starts": now + 3 * DAY_MS})
    member = get_member_id(demo.log, key=visitor.public)
    change = SettingsChange("elena@vecinos.example.org", True, "es", None, None, -240, False)
    do_set_notification_settings(demo.log, member=member, change=change)
    other = found("Otra junta", members=2)
    inbox = tmp_path / "demo-inbox"
    with override_settings(
        AYLLU_DEMO_VISITOR_KEY_FILE=demo_key_file,
        AYLLU_DEMO_INBOX_DIR=inbox,
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(inbox),
    ):
        # when the deliverer runs and a visitor opens the inbox
        assert deliver_once(now=now, channels=[EmailChannel()]).sent == 1
        page = client.get(f"/es/asamblea/{demo.log}/probar/correo/")
        elsewhere = client.get(f"/es/asamblea/{other.log}/probar/correo/")
    # then the message is there as the member got it, and the page exists only for the demo assembly
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    text = page.content.decode()
    assert "Junta Vecinal Villa Esperanza: Reunión convocada: Asamblea de diciembre" in text
    assert "Para elena@vecinos.example.org" in text
    assert elsewhere.status_code == 404


def test_a_node_that_is_not_a_demo_has_no_inbox(client: Client, db: None) -> None:
    # given the default settings (no demo inbox)
    forget_replayed_state()
    assembly = found("Junta Vecinal", members=2)
    # then there is no inbox page
    assert client.get(f"/en/assembly/{assembly.log}/try/inbox/").status_code == 404
