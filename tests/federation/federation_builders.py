"""Records built in memory for federation tests: the test assembly, notices, and forged variants."""

import itertools

from ayllu.core.charter.founding import FOUNDED, build_founding_body, build_founding_content, endorse_founding
from ayllu.core.charter.rules import default_charter_data
from ayllu.core.ledger.keys import Keypair
from ayllu.core.ledger.record import Body, Entry, SignedAct, log_id_for, make_body, seal_entry, sign_act

FOUNDED_AT = 1_767_225_600_000  # 2026-01-01
_nonces = itertools.count(1)


def keypair(n: int) -> Keypair:
    return Keypair.from_seed(bytes([n]) * 32)


MEMBERS = (keypair(1), keypair(2), keypair(3))


def found_body(members: list[Keypair] | tuple[Keypair, ...] = MEMBERS) -> tuple[SignedAct, Body]:
    """The founding act and body of the test assembly (the same on every node)."""
    content = build_founding_content(
        "Junta Vecinal",
        founded_at=FOUNDED_AT,
        charter=default_charter_data(),
        founders=[(m.public, f"casa-{i}") for i, m in enumerate(members, start=1)],
    )
    body = build_founding_body(content, [endorse_founding(m, content) for m in members])
    return sign_act(members[0], log=log_id_for(body), type=FOUNDED, body=body, nonce="founding"), body


class MemoryRecord:
    """A record sealed in memory by `node`: what a malicious node serves."""

    def __init__(self, node: Keypair) -> None:
        signed, body = found_body()
        self.node = node
        self.log = signed.act.log
        self.entries: list[Entry] = []
        self.bodies: dict[tuple[str, str], Body] = {}  # by (hash, vis), as verify looks them up
        self.time = FOUNDED_AT + 1000
        self.add(signed, body)

    @property
    def head(self) -> str:
        return self.entries[-1].hash if self.entries else ""

    def add(self, signed: SignedAct, body: Body) -> Entry:
        self.time += 1000
        entry = seal_entry(signed, seq=len(self.entries) + 1, prev=self.head, time=self.time, node=self.node)
        self.entries.append(entry)
        self.bodies[body.key] = body
        return entry

    def notice(self, text: str) -> Entry:
        body = make_body({"text": text}, vis="public")
        signed = sign_act(
            MEMBERS[0], log=self.log, type="notice.posted", body=body, nonce=f"m{next(_nonces)}"
        )
        return self.add(signed, body)

    def branch(self, size: int) -> "MemoryRecord":
        """A copy of the first `size` entries, to be continued differently (a fork)."""
        other = MemoryRecord.__new__(MemoryRecord)
        other.node, other.log, other.time = self.node, self.log, self.time
        other.entries = list(self.entries[:size])
        other.bodies = dict(self.bodies)
        return other
