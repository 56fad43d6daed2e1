"""Builders for the assembly pages' tests: an assembly with a convenor and a minute-keeper, acts appended
through the real write path (each signed by its member), and the ids they create."""

import itertools
from dataclasses import dataclass

from ayllu.actions.record import do_append, do_found_assembly
from ayllu.core.charter.founding import FOUNDED, build_founding_body, build_founding_content, endorse_founding
from ayllu.core.charter.rules import default_charter_data
from ayllu.core.ledger.keys import Keypair
from ayllu.core.ledger.record import log_id_for, make_body, sign_act

_nonces = itertools.count(1)
FOUNDED_AT = 1_767_225_600_000  # 2026-01-01
UNTIL = 4_102_444_800_000  # 2100-01-01: cargos that outlast every test


def keypair(n: int) -> Keypair:
    return Keypair.from_seed(bytes([n]) * 32)


@dataclass(frozen=True)
class Assembly:
    log: str
    name: str
    members: tuple[Keypair, ...]

    @property
    def convenor(self) -> Keypair:
        return self.members[0]


def quick_charter() -> dict[str, object]:
    """The default charter, with no minimum discussion time, so tests can decide at once."""
    charter = default_charter_data()
    charter["deliberation"] = {"async_ms": 0, "meeting_ms": 0, "voting_ms": 60_000}
    return charter


def found(name: str, *, size: int = 4, seed: int = 1, charter: dict[str, object] | None = None) -> Assembly:
    """Found an assembly of `size` members in `size` households; the first convenes, the second keeps
    the minutes."""
    members = tuple(keypair(seed + i) for i in range(size))
    content = build_founding_content(
        name,
        founded_at=FOUNDED_AT,
        charter=charter or quick_charter(),
        founders=[(m.public, f"casa-{i}") for i, m in enumerate(members, start=1)],
        cargos=[("convenor", members[0].public, UNTIL), ("minute_keeper", members[1].public, UNTIL)],
    )
    body = build_founding_body(content, [endorse_founding(m, content) for m in members])
    log = log_id_for(body)
    do_found_assembly(
        signed_act=sign_act(members[0], log=log, type=FOUNDED, body=body, nonce="founding"), body=body
    )
    return Assembly(log, name, members)


def act(assembly: Assembly, author: Keypair, type: str, content: dict[str, object]) -> int:
    """Sign `content` as `author` and append it through the real write path; return its seq (its id)."""
    body = make_body(content, vis="public")
    signed = sign_act(author, log=assembly.log, type=type, body=body, nonce=f"p{next(_nonces)}")
    return do_append(assembly.log, signed_act=signed, body=body).seq


def meeting_with_everyone(assembly: Assembly, *, title: str = "Asamblea ordinaria") -> int:
    """The convenor convenes a meeting that has started; every member signs in as present."""
    meeting = act(assembly, assembly.convenor, "meeting.convened", {"title": title, "starts": FOUNDED_AT})
    for member in assembly.members:
        act(assembly, member, "presence.signed", {"meeting": meeting})
    return meeting


def consent_decided_with_answered_objection(assembly: Assembly, meeting: int) -> dict[str, int]:
    """In the meeting: a proposal tabled, objected to, answered, the objection withdrawn, consented, and
    passed. Returns the ids."""
    a, b, c, d = assembly.members[:4]
    proposal = act(
        assembly,
        b,
        "proposal.tabled",
        {
            "matter": "ordinary",
            "title": "Arreglar la cancha",
            "text": "Comprar arena.",
            "effect": {},
            "meeting": meeting,
        },
    )
    question = act(assembly, a, "question.opened", {"proposal": proposal})
    objection = act(
        assembly, c, "objection.raised", {"proposal": proposal, "reason": "Falta el presupuesto."}
    )
    act(
        assembly,
        b,
        "objection.answered",
        {"proposal": proposal, "objection": objection, "answer": "Son 300 Bs."},
    )
    act(assembly, c, "objection.withdrawn", {"proposal": proposal, "objection": objection})
    for member in (a, b, d):
        act(assembly, member, "vote.cast", {"question": question, "choice": "consent"})
    act(assembly, a, "question.closed", {"question": question})
    return {"proposal": proposal, "question": question, "objection": objection}
