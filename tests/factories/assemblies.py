"""An assembly built in memory: named test keys sign acts, a node seals them, replay folds each.

asm = Assembly.found(["ana", "bea", "carla"])
asm.act("ana", "proposal.tabled", {...})        # raises the RuleError if the act breaks a rule
asm.rejects("dora", "vote.cast", {...})          # returns the RuleError code; nothing is appended
replay_all(asm.log, asm.entries, asm.bodies)     # the state from scratch, as any replica computes it
"""

from dataclasses import dataclass, field
from typing import Any

from ayllu.core.assembly.replay import apply_entry, initial_state
from ayllu.core.assembly.state import AssemblyState
from ayllu.core.charter.founding import found_assembly
from ayllu.core.charter.rules import DAY_MS
from ayllu.core.errors import DomainError
from ayllu.core.ledger.keys import Keypair
from ayllu.core.ledger.record import Body, Entry, log_id_for, make_body, seal_entry, sign_act

from .charters import quick_charter
from .keys import keypair, pub

T0 = 1_764_000_000_000
YEAR_MS = 365 * DAY_MS


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
        node: Keypair | None = None,
    ) -> "Assembly":
        """Found an assembly; the first founder convenes meetings unless `convenor` says otherwise; its
        entries are sealed by `node` (a test node's key unless given)."""
        sealer = node or keypair("node")
        cargos = [("convenor", pub(convenor or founders[0]), T0 + YEAR_MS)]
        if minute_keeper:
            cargos.append(("minute_keeper", pub(minute_keeper), T0 + YEAR_MS))
        entry, body = found_assembly(
            [(keypair(name), f"house-{name}") for name in founders],
            name="Junta vecinal Villa Esperanza",
            founded_at=T0,
            charter=quick_charter() if charter is None else charter,
            node=sealer,
            cargos=cargos,
        )
        log = log_id_for(body)
        asm = cls(log=log, node=sealer, state=initial_state(log), clock=T0)
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


# --- cargos: decisions passed in a few calls, time moved forward by notices ------------------------


def decide(asm: Assembly, matter: str, effect: dict[str, Any], *, by: str | None = None) -> int:
    """Table a proposal, let every active member vote yes, close it; return the proposal id."""
    names = asm_names(asm)
    author = by or names[0]
    proposal = asm.table(author, matter=matter, effect=effect)
    question = asm.open_question(author, proposal)
    for name in names:
        if pub(name) in asm.state.questions[question].eligible:
            asm.vote(name, question, "yes")
    asm.act(author, "question.closed", {"question": question})
    return proposal


def asm_names(asm: Assembly) -> list[str]:
    """The test names of the assembly's active members (registered by `named`)."""
    return [n for n in NAMES if pub(n) in asm.state.members and not asm.state.members[pub(n)].suspended]


NAMES = ["ana", "bea", "carla", "dora", "eva", "flor", "gina", "hilda", "ines", "juana", "karen", "lola"]
BY_KEY = {pub(n): n for n in NAMES}


def name_of(key: str) -> str:
    return BY_KEY[key]


def create_cargo(
    asm: Assembly, cargo: str, *, powers: list[str], term_days: int = 30, burden: int = 1, seats: int = 1
) -> None:
    effect = {"cargo": cargo, "powers": powers, "burden": burden, "term_days": term_days, "seats": seats}
    decide(asm, "cargo_creation", effect)


def tick(asm: Assembly, *, days: int, who: str = "ana") -> None:
    """Let `days` pass and record a notice, so replay reaches that time."""
    asm.act(who, "notice.posted", {"text": "tick"}, dt=days * DAY_MS)


def holders(asm: Assembly, cargo: str) -> list[str]:
    now = asm.state.last_time
    record = asm.state.cargos[cargo]
    return sorted(name_of(m) for m in record.holders if record.held_by(m, now=now))


def term_households(asm: Assembly, cargo: str) -> list[str]:
    return [t.household for t in asm.state.cargos[cargo].terms]
