"""Small in-memory record builders for tests: deterministic keys from names, a fixed clock.

record = found_record(founders=["ana", "bea"])
record.admit("ana", member="carla")
record.post("carla", text="assembly on Sunday")
verify_record(record.log, record.raws(), bodies=record.body)
"""

import hashlib
from dataclasses import dataclass, field
from typing import Any

from ayllu.core.charter.founding import found_assembly
from ayllu.core.charter.rules import default_charter_data
from ayllu.core.ledger.keys import Keypair
from ayllu.core.ledger.record import Body, BodyKey, Entry, SignedAct, make_body, seal_entry, sign_act

FIXED_TIME = 1_764_000_000_000  # milliseconds since the epoch, for every entry


def seed_for(name: str) -> bytes:
    """The 32-byte seed of test key `name`: SHA-256 of "ayllu-test-key/" + name."""
    return hashlib.sha256(b"ayllu-test-key/" + name.encode()).digest()


def key(name: str) -> Keypair:
    """The deterministic test key pair called `name`."""
    return Keypair.from_seed(seed_for(name))


@dataclass
class RecordBuilder:
    """A record being built in memory: its entries in order and every body, by (hash, vis)."""

    log: str
    node: Keypair
    time: int = FIXED_TIME
    entries: list[Entry] = field(default_factory=list)
    bodies: dict[BodyKey, Body] = field(default_factory=dict)

    @property
    def head(self) -> str:
        return self.entries[-1].hash if self.entries else ""

    def sign(self, author: str, *, type: str, content: dict[str, Any], vis: str = "public") -> SignedAct:
        """Sign an act as test key `author`, with a nonce that makes every act of this record unique."""
        body = make_body(content, vis=vis)
        self.bodies[body.key] = body
        nonce = f"n{len(self.entries) + 1}"
        return sign_act(key(author), log=self.log, type=type, body=body, nonce=nonce)

    def seal(self, signed: SignedAct) -> Entry:
        """Place a signed act at the end of the record as this record's node."""
        entry = seal_entry(signed, seq=len(self.entries) + 1, prev=self.head, time=self.time, node=self.node)
        self.entries.append(entry)
        return entry

    def add(self, author: str, *, type: str, content: dict[str, Any], vis: str = "public") -> Entry:
        """Sign and seal one act."""
        return self.seal(self.sign(author, type=type, content=content, vis=vis))

    def apply(self, applicant: str, *, vis: str = "public") -> Entry:
        """Test key `applicant` applies for membership, as a household of its own name."""
        return self.add(applicant, type="member.applied", content={"household": applicant}, vis=vis)

    def sponsor(self, author: str, *, applicant: str) -> Entry:
        """Sponsor an applicant, as member `author`."""
        return self.add(author, type="member.sponsored", content={"applicant": key(applicant).public})

    def admit(self, applicant: str, *, sponsors: tuple[str, ...] = ("ana", "bea")) -> list[Entry]:
        """Admit `applicant` by sponsorship (the default charter asks for two sponsors)."""
        return [self.apply(applicant), *(self.sponsor(s, applicant=applicant) for s in sponsors)]

    def post(self, author: str, *, text: str, vis: str = "public") -> Entry:
        """Post a notice, as `author`."""
        return self.add(author, type="notice.posted", content={"text": text}, vis=vis)

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
) -> RecordBuilder:
    """A record founded under the default charter; each founder is a household of its own name."""
    entry, founding = found_assembly(
        [(key(f), f) for f in founders],
        name=name,
        founded_at=FIXED_TIME,
        charter=default_charter_data(),
        node=key(node),
    )
    record = RecordBuilder(log=entry.log, node=key(node))
    record.bodies[founding.key] = founding
    record.entries.append(entry)
    return record


def sample_record(size: int = 5, *, name: str = "Junta vecinal Villa Esperanza") -> RecordBuilder:
    """A valid record of `size` entries (size >= 1): founded by ana and bea, then their notices."""
    record = found_record(name=name)
    for i in range(size - 1):
        record.post(("ana", "bea")[i % 2], text=f"notice {i + 1}")
    return record
