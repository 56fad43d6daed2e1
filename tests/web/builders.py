"""Builders for page tests: assemblies founded through the real write path, verification runs stored."""

import itertools
from dataclasses import dataclass
from datetime import UTC, datetime

from ayllu.actions.record import do_append_many, do_found_assembly
from ayllu.core.charter.founding import FOUNDED, build_founding_body, build_founding_content, endorse_founding
from ayllu.core.charter.rules import default_charter_data
from ayllu.core.ledger.keys import Keypair
from ayllu.core.ledger.record import log_id_for, make_body, sign_act
from ayllu.storage import models

_nonces = itertools.count(1)

# 14:30 UTC is 10:30 in La Paz (the node's time zone), on a date whose month name differs by language.
CHECKED_AT = datetime(2026, 3, 5, 14, 30, tzinfo=UTC)
FOUNDED_AT = int(datetime(2026, 3, 1, 14, 0, tzinfo=UTC).timestamp() * 1000)


@dataclass(frozen=True)
class Founded:
    log: str
    name: str
    size: int


def keypair(n: int) -> Keypair:
    return Keypair.from_seed(bytes([n]) * 32)


def found_assembly(name: str, *, notices: int = 3) -> Founded:
    """Found an assembly of three members and append `notices` signed notices to its record."""
    members = tuple(keypair(i + 1) for i in range(3))
    content = build_founding_content(
        name,
        founded_at=FOUNDED_AT,
        charter=default_charter_data(),
        founders=[(m.public, f"casa-{i}") for i, m in enumerate(members, start=1)],
    )
    body = build_founding_body(content, [endorse_founding(m, content) for m in members])
    log = log_id_for(body)
    signed = sign_act(members[0], log=log, type=FOUNDED, body=body, nonce="founding")
    do_found_assembly(signed_act=signed, body=body)
    items = []
    for i in range(notices):
        notice = make_body({"text": f"aviso {i}"}, vis="public")
        act = sign_act(members[i % 3], log=log, type="notice.posted", body=notice, nonce=f"n{next(_nonces)}")
        items.append((act, notice))
    if items:
        do_append_many(log, items=items)
    return Founded(log=log, name=name, size=1 + notices)


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
