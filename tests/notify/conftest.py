"""An assembly with things to hear of, members who asked to hear of them, and a real SMTP server."""

import time
from dataclasses import dataclass

import pytest

from ayllu.actions.notifications import SettingsChange, do_set_notification_settings
from ayllu.actions.record import do_append
from ayllu.queries.pages import get_member_id
from factories.records import signed
from factories.stored import StoredAssembly, act, found_with_officers

from .smtp import smtp

__all__ = ["smtp"]  # the fixture, for the tests of this folder

HOUR_MS = 3600 * 1000
DAY_MS = 24 * HOUR_MS
SECRET_MEETING = "Reunion reservada sobre la deuda"
SECRET_PROPOSAL = "Pagar la deuda de la casa 4"
PUBLIC_MEETING = "Asamblea de diciembre"
PUBLIC_PROPOSAL = "Arreglar la cancha"
ADDRESSES = ("ana@example.org", "bob@example.org", "carla@example.org", "dario@example.org")


@dataclass(frozen=True)
class Council:
    assembly: StoredAssembly
    now: int
    members: tuple[str, ...]  # member ids, in the order of assembly.members
    public_question: int
    private_question: int
    public_meeting: int
    private_meeting: int

    @property
    def log(self) -> str:
        return self.assembly.log


def members_only(assembly: StoredAssembly, author: int, type: str, content: dict[str, object]) -> int:
    act_, body = signed(assembly.members[author], log=assembly.log, type=type, content=content, vis="members")
    return do_append(assembly.log, signed_act=act_, body=body).seq


def settings_for(log: str, member: str, *, email: str, language: str, **changes: object) -> None:
    change = {
        "email": email,
        "email_on": True,
        "language": language,
        "quiet_start": None,
        "quiet_end": None,
        "utc_offset": -240,
        "digest": False,
        **changes,
    }
    do_set_notification_settings(log, member=member, change=SettingsChange(**change))  # type: ignore[arg-type]


@pytest.fixture
def council(db: None) -> Council:
    """Four members; a public meeting in three days and a members-only one in half an hour; a question
    on a public proposal closing in ten days and one on a members-only proposal closing in twelve hours.
    The fourth member already voted on the public one. Members 0 (Spanish), 1 (English) and 3 (English)
    asked for e-mail; member 2 gave no address."""
    assembly = found_with_officers("Junta Vecinal Avisos")
    now = int(time.time() * 1000)
    public_meeting = act(
        assembly, assembly.convenor, "meeting.convened", {"title": PUBLIC_MEETING, "starts": now + 3 * DAY_MS}
    )
    private_meeting = members_only(
        assembly, 0, "meeting.convened", {"title": SECRET_MEETING, "starts": now + HOUR_MS // 2}
    )
    public = act(
        assembly,
        assembly.members[1],
        "proposal.tabled",
        {"matter": "ordinary", "title": PUBLIC_PROPOSAL, "text": "Arena.", "effect": {}},
    )
    public_question = act(
        assembly, assembly.convenor, "question.opened", {"proposal": public, "deadline": now + 10 * DAY_MS}
    )
    private = members_only(
        assembly,
        1,
        "proposal.tabled",
        {"matter": "ordinary", "title": SECRET_PROPOSAL, "text": "300 Bs.", "effect": {}},
    )
    private_question = act(
        assembly, assembly.convenor, "question.opened", {"proposal": private, "deadline": now + 12 * HOUR_MS}
    )
    act(assembly, assembly.members[3], "vote.cast", {"question": public_question, "choice": "consent"})
    members = tuple(get_member_id(assembly.log, key=k.public) for k in assembly.members)
    settings_for(assembly.log, members[0], email=ADDRESSES[0], language="es")
    settings_for(assembly.log, members[1], email=ADDRESSES[1], language="en")
    settings_for(assembly.log, members[3], email=ADDRESSES[3], language="en")
    return Council(assembly, now, members, public_question, private_question, public_meeting, private_meeting)
