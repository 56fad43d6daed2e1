"""Assemblies written through the real write path (`do_found_assembly`, `do_append`), for tests that use
the database: storage, pages, the browser.

assembly = found("Junta Vecinal")                   # keypair(1..3) found it under the default charter
act(assembly, assembly.members[1], "notice.posted", {"text": "hola"})       # appended; its seq
assembly = found_with_officers("Junta Vecinal")     # four members; the first convenes, the second
                                                    # keeps the minutes; no minimum discussion time
log_in_as(client, assembly.log, assembly.members[0])
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.core.management import call_command
from django.db import connection
from django.test import Client

from ayllu.actions.assembly import do_append_taking_in
from ayllu.actions.record import do_append_many, do_found_assembly
from ayllu.core.ledger.canonical import canonical_bytes
from ayllu.core.ledger.keys import LOGIN_CONTEXT, Keypair
from ayllu.core.ledger.record import Body, SignedAct
from ayllu.storage import models

from .charters import no_wait_charter
from .keys import keypair
from .records import FOUNDED_AT, founding_act, households, signed, signed_notice

UNTIL = 4_102_444_800_000  # 2100-01-01: cargos that outlast every test
# 14:30 UTC is 10:30 in La Paz (the node's time zone), on a date whose month name differs by language.
CHECKED_AT = datetime(2026, 3, 5, 14, 30, tzinfo=UTC)
PAGES_FOUNDED_AT = int(datetime(2026, 3, 1, 14, 0, tzinfo=UTC).timestamp() * 1000)


@dataclass(frozen=True)
class StoredAssembly:
    """An assembly in the test database: its record's id, its name, its founders' keys and its size
    when it was built."""

    log: str
    name: str
    members: tuple[Keypair, ...]
    size: int = 1

    @property
    def founder(self) -> Keypair:
        return self.members[0]

    @property
    def convenor(self) -> Keypair:
        """The member who convenes meetings, in an assembly built by `found_with_officers`."""
        return self.members[0]

    def notice(
        self, text: str = "hola", *, author: Keypair | None = None, vis: str = "public"
    ) -> tuple[SignedAct, Body]:
        """A notice signed by `author` (the founder unless given), not yet appended."""
        return signed_notice(author or self.founder, log=self.log, text=text, vis=vis)


def found(
    name: str = "Junta Vecinal",
    *,
    members: int | Sequence[Keypair] = 3,
    charter: dict[str, Any] | None = None,
    cargos: Sequence[tuple[str, str, int]] = (),
    founded_at: int = FOUNDED_AT,
    notices: int = 0,
) -> StoredAssembly:
    """Found an assembly (by keypair(1..members), each its own household; the default charter), then
    append `notices` notices signed by the founders in turn."""
    keys = tuple(keypair(i + 1) for i in range(members)) if isinstance(members, int) else tuple(members)
    act_, body = founding_act(
        households(keys), name=name, founded_at=founded_at, charter=charter, cargos=cargos
    )
    do_found_assembly(signed_act=act_, body=body)
    log = act_.act.log
    items = [signed_notice(keys[i % len(keys)], log=log, text=f"aviso {i}") for i in range(notices)]
    if items:
        do_append_many(log, items=items)
    return StoredAssembly(log, name, keys, size=1 + notices)


def found_with_officers(
    name: str, *, size: int = 4, seed: int = 1, charter: dict[str, Any] | None = None
) -> StoredAssembly:
    """Found an assembly of `size` members (keypair(seed), ...) in `size` households under the
    no-wait charter; the first convenes, the second keeps the minutes."""
    members = tuple(keypair(seed + i) for i in range(size))
    officers = [("convenor", members[0].public, UNTIL), ("minute_keeper", members[1].public, UNTIL)]
    return found(name, members=members, charter=charter or no_wait_charter(), cargos=officers)


def act(assembly: StoredAssembly, author: Keypair, type: str, content: dict[str, Any]) -> int:
    """Sign `content` as `author` and append it through the real write path; return its seq (its id).

    An application or a key claim is appended at once, as a record taken in from elsewhere holds it; a
    sponsorship or a vouch takes in the act waiting on this node first (decision 0011), as through the
    interfaces.
    """
    act_, body = signed(author, log=assembly.log, type=type, content=content)
    return do_append_taking_in(assembly.log, signed_act=act_, body=body).receipt.seq


def erase_words(assembly: StoredAssembly, author: Keypair, *, entry: int) -> int:
    """Erase the words of entry `entry` by an act of `author` (their author); return the act's seq."""
    return act(assembly, author, "words.erased", {"entry": entry})


def sponsor(assembly: StoredAssembly, applicant: str) -> None:
    """Two founders sponsor an applicant who has applied: under the default charter, replay admits them."""
    for founder in assembly.members[:2]:
        act(assembly, founder, "member.sponsored", {"applicant": applicant})


def admit(assembly: StoredAssembly, newcomer: Keypair, *, household: str = "casa-nueva") -> None:
    """The newcomer applies with their own key and two founders sponsor them."""
    act(assembly, newcomer, "member.applied", {"household": household})
    sponsor(assembly, newcomer.public)


def record_verification(log: str, *, ok: bool, size: int, code: str = "", seq: int | None = None) -> None:
    """Store the outcome of a verification run, as `ayllu verify` does."""
    record = models.Record.objects.get(log=log)
    models.VerificationRun.objects.create(
        record=record,
        ok=ok,
        size=size,
        head=record.head_hash,
        problem_code=code,
        problem_seq=seq,
        started_at=CHECKED_AT,
        finished_at=CHECKED_AT,
    )


def log_in_as(client: Client, log: str, key: Keypair) -> None:
    """Log `client` in to `log` with `key`, through the real challenge and login routes."""
    issued = client.post(f"/en/assembly/{log}/login/challenge/").json()
    statement = {name: issued[name] for name in ("v", "node", "log", "challenge", "origin")}
    payload = {
        "key": key.public,
        "challenge": issued["challenge"],
        "signature": key.sign(LOGIN_CONTEXT, canonical_bytes(statement)),
    }
    response = client.post(f"/en/assembly/{log}/login/", payload, content_type="application/json")
    assert response.status_code == 200, response.content


def page_url(name: str, lang: str, **kwargs: object) -> str:
    """The address of page `name` of the web app in language `lang` (its words differ by language)."""
    from django.urls import reverse
    from django.utils import translation

    with translation.override(lang):
        return reverse(f"web:{name}", kwargs=kwargs)


def empty_database() -> None:
    """Delete every row, as each test's rollback leaves the database: after a scene written once for a
    file's tests (`scope="module"` under `django_db_blocker.unblock()`). On SQLite the freed pages go
    back to the file system too, so a later test that fills the disk meets a database of the usual size."""
    call_command("flush", interactive=False, verbosity=0)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM")
