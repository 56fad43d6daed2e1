"""An assembly built in memory for tests: named test keys sign acts, a node seals them, replay folds each.

asm = Assembly.found(["ana", "bea", "carla"])
asm.act("ana", "proposal.tabled", {...})        # raises the RuleError if the act breaks a rule
asm.rejects("dora", "vote.cast", {...})          # returns the RuleError code; nothing is appended
replay_all(asm.log, asm.entries, asm.bodies)     # the state from scratch, as any replica computes it
"""

import hashlib
from dataclasses import dataclass, field
from typing import Any

from ayllu.core.assembly.replay import apply_entry, initial_state
from ayllu.core.assembly.state import AssemblyState
from ayllu.core.charter.founding import found_assembly
from ayllu.core.charter.rules import DAY_MS, default_charter_data
from ayllu.core.errors import DomainError
from ayllu.core.ledger.keys import Keypair
from ayllu.core.ledger.record import Body, Entry, log_id_for, make_body, seal_entry, sign_act

T0 = 1_764_000_000_000
YEAR_MS = 365 * DAY_MS


def keypair(name: str) -> Keypair:
    """The deterministic test key called `name`."""
    return Keypair.from_seed(hashlib.sha256(b"ayllu-assembly-test/" + name.encode()).digest())


def pub(name: str) -> str:
    """The public key (and member id) of test key `name`."""
    return keypair(name).public


def quick_charter(**changes: Any) -> dict[str, Any]:
    """The default charter with short times and simple routes, plus `changes` (top-level keys)."""
    charter = default_charter_data()
    charter["deliberation"] = {"async_ms": 1000, "meeting_ms": 0, "voting_ms": 1000}
    charter["admission"] = {"by": "sponsorship", "sponsors": 1}
    charter["key_replacement"] = {"by": "vouching", "vouchers": 2}
    charter["petition"] = {"signatures": 2}
    charter["quorum"] = {"basis": "members", "share": "1/2"}
    charter["participation"] = {"basis": "members", "share": "1/2"}
    charter.update(changes)
    return charter


@dataclass
class Assembly:
    log: str
    node: Keypair
    state: AssemblyState
    clock: int
    entries: list[Entry] = field(default_factory=list)
    bodies: dict[str, Body] = field(default_factory=dict)

    @classmethod
    def found(
        cls,
        founders: list[str],
        *,
        charter: dict[str, Any] | None = None,
        convenor: str | None = None,
        minute_keeper: str | None = None,
    ) -> "Assembly":
        """Found an assembly; the first founder convenes meetings unless `convenor` says otherwise."""
        cargos = [("convenor", pub(convenor or founders[0]), T0 + YEAR_MS)]
        if minute_keeper:
            cargos.append(("minute_keeper", pub(minute_keeper), T0 + YEAR_MS))
        entry, body = found_assembly(
            [(keypair(name), f"house-{name}") for name in founders],
            name="Junta vecinal Villa Esperanza",
            founded_at=T0,
            charter=quick_charter() if charter is None else charter,
            node=keypair("node"),
            cargos=cargos,
        )
        log = log_id_for(body)
        asm = cls(log=log, node=keypair("node"), state=initial_state(log), clock=T0)
        asm.state = apply_entry(asm.state, entry, body)
        asm.entries.append(entry)
        asm.bodies[body.hash] = body
        return asm

    def seal(self, who: str, type: str, content: dict[str, Any], *, dt: int = 1000) -> tuple[Entry, Body]:
        """Sign and seal an act at the end of the record, without replaying it."""
        body = make_body(content, vis="public", type=type)
        seq = len(self.entries) + 1
        signed = sign_act(keypair(who), log=self.log, type=type, body=body, nonce=f"a{seq}")
        prev = self.entries[-1].hash
        return seal_entry(signed, seq=seq, prev=prev, time=self.clock + dt, node=self.node), body

    def act(self, who: str, type: str, content: dict[str, Any], *, dt: int = 1000) -> Entry:
        """Sign, seal and replay one act; raise its RuleError (and append nothing) if it breaks a rule."""
        entry, body = self.seal(who, type, content, dt=dt)
        self.state = apply_entry(self.state, entry, body)
        self.entries.append(entry)
        self.bodies[body.hash] = body
        self.clock = entry.time
        return entry

    def rejects(self, who: str, type: str, content: dict[str, Any], *, dt: int = 1000) -> str:
        """The code of the rule the act breaks; fail if it is accepted."""
        try:
            self.act(who, type, content, dt=dt)
        except DomainError as exc:
            return exc.code
        raise AssertionError(f"{type} by {who} was accepted")

    def wait(self, ms: int) -> None:
        self.clock += ms

    # --- a few common acts --------------------------------------------------------------------------
    def join(self, name: str, *, sponsor: str, household: str | None = None) -> None:
        """`name` applies and `sponsor` sponsors them (the quick charter needs one sponsor)."""
        self.act(name, "member.applied", {"household": household or f"house-{name}"})
        self.act(sponsor, "member.sponsored", {"applicant": pub(name)})

    def table(
        self, who: str, *, matter: str = "ordinary", effect: dict[str, Any] | None = None, **extra: Any
    ) -> int:
        content = {
            "matter": matter,
            "title": f"{matter} by {who}",
            "text": "",
            "effect": effect or {},
            **extra,
        }
        return self.act(who, "proposal.tabled", content).seq

    def open_question(self, who: str, proposal: int, *, voting_ms: int = 10_000) -> int:
        self.wait(self.state.rules.async_deliberation_ms)
        return self.act(
            who, "question.opened", {"proposal": proposal, "deadline": self.clock + voting_ms}
        ).seq

    def vote(self, who: str, question: int, choice: Any, **extra: Any) -> Entry:
        return self.act(who, "vote.cast", {"question": question, "choice": choice, **extra})

    def close_after_deadline(self, who: str, question: int) -> Entry:
        deadline = self.state.questions[question].deadline
        self.clock = max(self.clock, deadline)
        return self.act(who, "question.closed", {"question": question})


def replay_all(log: str, entries: list[Entry], bodies: dict[str, Body]) -> AssemblyState:
    """Replay a whole record from scratch."""
    state = initial_state(log)
    for entry in entries:
        state = apply_entry(state, entry, bodies[entry.act.body])
    return state
