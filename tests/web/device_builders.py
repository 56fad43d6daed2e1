"""Builders for device-key tests: assemblies in the charter format, applicants admitted by sponsors."""

import itertools
from dataclasses import dataclass

from django.test import Client

from ayllu.actions.record import do_append, do_found_assembly
from ayllu.core.charter.founding import FOUNDED, build_founding_body, build_founding_content, endorse_founding
from ayllu.core.charter.rules import default_charter_data
from ayllu.core.ledger.canonical import canonical_bytes
from ayllu.core.ledger.keys import LOGIN_CONTEXT, Keypair
from ayllu.core.ledger.record import log_id_for, make_body, sign_act

_nonces = itertools.count(1)
FOUNDED_AT = 1_767_225_600_000  # 2026-01-01, before any node time in these tests


def keypair(n: int) -> Keypair:
    return Keypair.from_seed(bytes([n]) * 32)


@dataclass(frozen=True)
class Chartered:
    log: str
    name: str
    founders: tuple[Keypair, ...]


def found_chartered(name: str, *, founders: tuple[Keypair, ...]) -> Chartered:
    """Found an assembly with the default charter (admission by two sponsors)."""
    content = build_founding_content(
        name,
        founded_at=FOUNDED_AT,
        charter=default_charter_data(),
        founders=[(m.public, f"casa-{i}") for i, m in enumerate(founders, start=1)],
    )
    body = build_founding_body(content, [endorse_founding(m, content) for m in founders])
    log = log_id_for(body)
    do_found_assembly(
        signed_act=sign_act(founders[0], log=log, type=FOUNDED, body=body, nonce="founding"), body=body
    )
    return Chartered(log, name, founders)


def append_act(log: str, author: Keypair, type: str, content: dict[str, object]) -> int:
    """Sign `content` as `author` and append it through the real write path; return its seq."""
    body = make_body(content, vis="public")
    signed = sign_act(author, log=log, type=type, body=body, nonce=f"d{next(_nonces)}")
    return do_append(log, signed_act=signed, body=body).seq


def sponsor(assembly: Chartered, applicant: str) -> None:
    """Two founders sponsor an applicant who has applied: replay admits them."""
    for founder in assembly.founders[:2]:
        append_act(assembly.log, founder, "member.sponsored", {"applicant": applicant})


def admit(assembly: Chartered, newcomer: Keypair, *, household: str = "casa-nueva") -> None:
    """The newcomer applies with their own key and two founders sponsor them."""
    append_act(assembly.log, newcomer, "member.applied", {"household": household})
    sponsor(assembly, newcomer.public)


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
