"""Founding acts, signed acts and records sealed in memory, with no Django.

record = found_record(founders=("ana", "bea"))      # named test keys, every entry at FIXED_TIME
record.admit("carla")
record.post("carla", text="assembly on Sunday")
verify_record(record.log, record.raws(), bodies=record.body)

record = federation_record(node)                    # the federation tests' assembly, sealed by `node`
record.notice("hola"); fork = record.branch(3)      # entries a second apart; a copy to continue apart
"""

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ayllu.core.assembly.acts import split_body
from ayllu.core.assembly.replay import ACT_KINDS
from ayllu.core.charter.founding import FOUNDED, build_founding_body, build_founding_content, endorse_founding
from ayllu.core.charter.founding import found_assembly as seal_founding
from ayllu.core.charter.rules import default_charter_data
from ayllu.core.ledger.keys import Keypair
from ayllu.core.ledger.record import (
    Body,
    BodyKey,
    Entry,
    SignedAct,
    log_id_for,
    make_body,
    seal_entry,
    sign_act,
)

from .keys import keypair

FIXED_TIME = 1_764_000_000_000  # milliseconds since the epoch, for every entry of `found_record`
FOUNDED_AT = 1_767_225_600_000  # 2026-01-01, before any node time in the tests that use the real clock
MEMBERS = (keypair(1), keypair(2), keypair(3))  # the federation and storage tests' founders

_nonces = itertools.count(1)


def next_nonce(prefix: str = "t") -> str:
    """A nonce no other act of this test process has used."""
    return f"{prefix}{next(_nonces)}"


def households(members: Sequence[Keypair]) -> list[tuple[Keypair, str]]:
    """Each member in a household of their own: casa-1, casa-2, ..."""
    return [(m, f"casa-{i}") for i, m in enumerate(members, start=1)]


def founding_act(
    founders: Sequence[tuple[Keypair, str]],
    *,
    name: str = "Junta Vecinal",
    founded_at: int = FOUNDED_AT,
    charter: dict[str, Any] | None = None,
    cargos: Sequence[tuple[str, str, int]] = (),
    nonce: str = "founding",
) -> tuple[SignedAct, Body]:
    """The founding act, endorsed by every founder (key, household) and signed by the first."""
    content = build_founding_content(
        name,
        founded_at=founded_at,
        charter=default_charter_data() if charter is None else charter,
        founders=[(key.public, household) for key, household in founders],
        cargos=cargos,
    )
    body = build_founding_body(content, [endorse_founding(key, content) for key, _ in founders])
    signed = sign_act(founders[0][0], log=log_id_for(body), type=FOUNDED, body=body, nonce=nonce)
    return signed, body


def act_body(type: str, content: dict[str, Any], *, vis: str) -> Body:
    """An act's body as a member's device writes it: format 2 (rule data, words under `vis`) for a known
    kind, the one body of format 1 for any other type."""
    kind = ACT_KINDS.get(type)
    return make_body(content, vis=vis) if kind is None else split_body(kind, content, vis=vis)


def signed(
    author: Keypair, *, log: str, type: str, content: dict[str, Any], vis: str = "public", nonce: str = ""
) -> tuple[SignedAct, Body]:
    """An act signed by `author`, as a member's device signs it, and its body (format 2 for a known kind:
    the public rule body carrying its words under `vis`)."""
    kind = ACT_KINDS.get(type)
    body = make_body(content, vis=vis) if kind is None else split_body(kind, content, vis=vis)
    return sign_act(author, log=log, type=type, body=body, nonce=nonce or next_nonce()), body


def signed_notice(
    author: Keypair, *, log: str, text: str = "hola", vis: str = "public"
) -> tuple[SignedAct, Body]:
    """A notice signed by `author`."""
    return signed(author, log=log, type="notice.posted", content={"text": text}, vis=vis)


def _author(who: str | int | Keypair) -> Keypair:
    return who if isinstance(who, Keypair) else keypair(who)


@dataclass
class MemoryRecord:
    """A record sealed in memory by `node`: its entries in order and every body, by (hash, vis).

    Each seal moves `time` on by `step` ms first (0: every entry at the same time). With `split`, acts
    are signed in format 2: a public rule body carrying the words under the act's visibility.
    """

    log: str
    node: Keypair
    time: int
    step: int = 0
    entries: list[Entry] = field(default_factory=list)
    bodies: dict[BodyKey, Body] = field(default_factory=dict)
    split: bool = False

    @property
    def head(self) -> str:
        return self.entries[-1].hash if self.entries else ""

    def sign(
        self, author: str | int | Keypair, *, type: str, content: dict[str, Any], vis: str = "public"
    ) -> SignedAct:
        """Sign an act as test key `author`, with a nonce that makes every act of this record unique."""
        kind = ACT_KINDS.get(type)
        if self.split and kind is not None:
            body = split_body(kind, content, vis=vis)
            assert body.words is not None
            self.bodies[body.words.key] = body.words
        else:
            body = make_body(content, vis=vis)
        self.bodies[body.key] = body
        nonce = f"n{len(self.entries) + 1}"
        return sign_act(_author(author), log=self.log, type=type, body=body, nonce=nonce)

    def seal(self, signed: SignedAct, body: Body | None = None) -> Entry:
        """Place a signed act (and its body, if not signed here) at the end of the record as the node."""
        if body is not None:
            self.bodies[body.key] = body
            if body.words is not None:
                self.bodies[body.words.key] = body.words
        self.time += self.step
        entry = seal_entry(signed, seq=len(self.entries) + 1, prev=self.head, time=self.time, node=self.node)
        self.entries.append(entry)
        return entry

    def add(
        self, author: str | int | Keypair, *, type: str, content: dict[str, Any], vis: str = "public"
    ) -> Entry:
        """Sign and seal one act."""
        return self.seal(self.sign(author, type=type, content=content, vis=vis))

    def apply(self, applicant: str, *, vis: str = "public") -> Entry:
        """Test key `applicant` applies for membership, as a household of its own name."""
        return self.add(applicant, type="member.applied", content={"household": applicant}, vis=vis)

    def sponsor(self, author: str, *, applicant: str) -> Entry:
        """Sponsor an applicant, as member `author`."""
        return self.add(author, type="member.sponsored", content={"applicant": keypair(applicant).public})

    def admit(self, applicant: str, *, sponsors: tuple[str, ...] = ("ana", "bea")) -> list[Entry]:
        """Admit `applicant` by sponsorship (the default charter asks for two sponsors)."""
        return [self.apply(applicant), *(self.sponsor(s, applicant=applicant) for s in sponsors)]

    def post(self, author: str | int | Keypair, *, text: str, vis: str = "public") -> Entry:
        """Post a notice, as `author`."""
        return self.add(author, type="notice.posted", content={"text": text}, vis=vis)

    def notice(self, text: str) -> Entry:
        """A notice by the first founder, with a nonce no other record of this process uses (so that
        two branches of one record never hold the same act)."""
        return self.seal(*signed_notice(MEMBERS[0], log=self.log, text=text))

    def branch(self, size: int) -> "MemoryRecord":
        """A copy of the first `size` entries, to be continued differently (a fork)."""
        return MemoryRecord(
            self.log,
            self.node,
            self.time,
            self.step,
            list(self.entries[:size]),
            dict(self.bodies),
            self.split,
        )

    def raws(self) -> list[bytes]:
        """The exact header bytes, in order."""
        return [e.raw for e in self.entries]

    def hashes(self) -> list[str]:
        return [e.hash for e in self.entries]

    def body(self, key: BodyKey) -> Body | None:
        """Look a body up by (hash, vis), as `verify_record` expects."""
        return self.bodies.get(key)


def found_record(
    *,
    name: str = "Junta vecinal Villa Esperanza",
    founders: tuple[str, ...] = ("ana", "bea"),
    node: str = "node-1",
    split: bool = False,
) -> MemoryRecord:
    """A record founded under the default charter; each founder is a household of its own name."""
    entry, founding = seal_founding(
        [(keypair(f), f) for f in founders],
        name=name,
        founded_at=FIXED_TIME,
        charter=default_charter_data(),
        node=keypair(node),
    )
    record = MemoryRecord(log=entry.log, node=keypair(node), time=FIXED_TIME, split=split)
    record.bodies[founding.key] = founding
    record.entries.append(entry)
    return record


def sample_record(size: int = 5, *, name: str = "Junta vecinal Villa Esperanza") -> MemoryRecord:
    """A valid record of `size` entries (size >= 1): founded by ana and bea, then their notices."""
    record = found_record(name=name)
    for i in range(size - 1):
        record.post(("ana", "bea")[i % 2], text=f"notice {i + 1}")
    return record


def federation_record(node: Keypair) -> MemoryRecord:
    """The three-member test assembly sealed by `node`, a second between entries: what a node serves."""
    signed, body = founding_act(households(MEMBERS))
    record = MemoryRecord(signed.act.log, node, time=FOUNDED_AT + 1000, step=1000)
    record.seal(signed, body)
    return record
