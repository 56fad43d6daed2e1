"""The demo node's "try it" page, which gives a visitor's browser one demo household's key, and its Inbox
page, which shows the mail the demo's members were sent.

Only where the settings name a demo key file (`AYLLU_DEMO_VISITOR_KEY_FILE`, settings/dev.py) and only
for an assembly that key is a member of; everywhere else the page does not exist (404). The key's seed
is sent to anyone who asks, which is the point of a demo and why no real assembly may ever use it.
"""

import email
import email.policy
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ayllu.core.ledger.keys import Keypair
from ayllu.queries.cargos import get_household_of
from ayllu.queries.members import KeyStanding, get_key_standing
from ayllu.storage.keyfiles import read_key_file

from .views_assembly import assembly_context


def demo_visitor_key(log: str) -> Keypair | None:
    """The demo key a visitor may use in assembly `log`, or None (not a demo node, or not its member)."""
    path = settings.AYLLU_DEMO_VISITOR_KEY_FILE
    if path is None or not path.exists():
        return None
    keypair = read_key_file(path)
    if get_key_standing(log, key=keypair.public) is not KeyStanding.MEMBER:
        return None
    return keypair


@require_GET
def demo_key(request: HttpRequest, log: str) -> HttpResponse:
    """Offer the demo household's key to this browser (demo nodes only)."""
    keypair = demo_visitor_key(log)
    if keypair is None:
        raise Http404
    context = assembly_context(request, log)
    context.update(
        section="demo",
        demo_public=keypair.public,
        demo_seed=keypair.seed().hex(),
        demo_household=get_household_of(log, member=keypair.public),
    )
    response = render(request, "web/assembly/demo_key.html", context)
    response["Cache-Control"] = "no-store"
    return response


@dataclass(frozen=True, slots=True)
class DemoMail:
    """One message the demo node sent, as its Inbox page shows it."""

    to: str
    subject: str
    date: str
    text: str


SEPARATOR = b"\n" + b"-" * 79 + b"\n"  # between messages in a file of Django's file mail backend


def read_demo_inbox(folder: Path, *, about: str, limit: int = 50) -> list[DemoMail]:
    """The latest messages written to `folder` that concern record `about` (its id is in their links),
    newest first."""
    found: list[DemoMail] = []
    files = (
        sorted(folder.glob("*.log"), key=lambda p: p.stat().st_mtime, reverse=True) if folder.is_dir() else []
    )
    for path in files:
        for raw in reversed(path.read_bytes().split(SEPARATOR)):
            if not raw.strip():
                continue
            message = email.message_from_bytes(raw, policy=email.policy.default)
            part = message.get_body(preferencelist=("plain",))
            text = part.get_content() if isinstance(part, EmailMessage) else ""
            if about not in text:
                continue
            found.append(DemoMail(str(message["To"]), str(message["Subject"]), str(message["Date"]), text))
            if len(found) >= limit:
                return found
    return found


@require_GET
def demo_inbox(request: HttpRequest, log: str) -> HttpResponse:
    """What the demo node's members were sent (demo nodes only): the mail of `ayllu serve`'s deliverer,
    caught in the demo inbox instead of leaving the node."""
    folder = settings.AYLLU_DEMO_INBOX_DIR
    if folder is None or demo_visitor_key(log) is None:
        raise Http404
    context = assembly_context(request, log)
    context.update(section="demo", mails=read_demo_inbox(Path(folder), about=log))
    response = render(request, "web/assembly/demo_inbox.html", context)
    response["Cache-Control"] = "no-store"
    return response
