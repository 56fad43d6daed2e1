"""Builders for the cargo pages' tests: an assembly whose record holds cargos filled by turn, an
exemption, mandates and delegates' votes, a recall petition, a draw by lot and a meeting, every act
appended through the real write path and signed by its member, on a clock the test moves.

The node's clock (entry times) and the pages' clock both read `Clock.now`, so a test can let a term
end and see the next household take its turn.
"""

import hashlib
import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from ayllu.actions.record import do_append, do_found_assembly
from ayllu.core.charter.founding import FOUNDED, build_founding_body, build_founding_content, endorse_founding
from ayllu.core.charter.rules import DAY_MS, default_charter_data
from ayllu.core.ledger.keys import Keypair
from ayllu.core.ledger.record import log_id_for, make_body, sign_act
from ayllu.core.sortition import Quota, commitment_for, recompute_draw
from ayllu.core.sortition.acts import draw_evidence
from ayllu.core.sortition.preparation import prepare_draw
from ayllu.queries.assembly import read_state

FOUNDED_AT = 1_767_268_800_000  # 2026-01-01 12:00 UTC
NAMES = ("ana", "bea", "carla", "dora", "eva", "flor")
# Six members in five households: eva and flor live together.
HOUSEHOLDS = {"ana": "Apaza", "bea": "Mamani", "carla": "Quispe", "dora": "Condori", "eva": "Choque"}
HOUSEHOLDS["flor"] = "Choque"
MAJORITY = {"method": "majority", "threshold": "1/2", "base": "yes_no", "comparison": "more_than"}
BEACON = {"source": "drand-quicknet", "round": 12_345, "value": "5e" * 32}
_nonces = itertools.count(1)


@dataclass
class Clock:
    """The node's time in ms: each reading moves it one second, `advance` jumps ahead."""

    now: int = FOUNDED_AT + 60_000

    def __call__(self) -> int:
        self.now += 1000
        return self.now

    def advance(self, ms: int) -> None:
        self.now += ms


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[Clock]:
    """Entries and pages read this clock instead of the real one."""
    fake = Clock()
    monkeypatch.setattr("ayllu.actions.record.append.now_ms", fake)
    monkeypatch.setattr("ayllu.web.views_assembly.now_ms", fake)
    yield fake


def keypair(name: str) -> Keypair:
    return Keypair.from_seed(hashlib.sha256(b"cargo-pages/" + name.encode()).digest())


def cargo_charter() -> dict[str, Any]:
    """Majority decisions at once, 30-day terms, a rest of one term, two cargos at once per person and
    per household (so the founding convenor's and minute-keeper's households take turns too), recall
    at 3 signatures, reports due 7 days after a session, and a concentration threshold that raises
    alerts."""
    charter = default_charter_data()
    charter["methods"] = {**charter["methods"], "ordinary": dict(MAJORITY)}  # type: ignore[dict-item]
    charter["deliberation"] = {"async_ms": 0, "meeting_ms": 0, "voting_ms": 60_000}
    charter["terms"] = {"term_days": 30, "rest_terms": 1, "max_concurrent": 2}
    # Written out although they are the defaults: the tests (and tests/browser) rely on the turns this
    # record's id draws (the id hashes the founding act: this charter and the assembly's name): Condori
    # then Mamani treasurer, Apaza delegate, and when Apaza is recalled Choque takes its seat.
    charter["cargos"] = {"max_per_household": 2, "consecutive": "forbidden"}
    charter["recall"] = {"petition": 3, "threshold": "1/2", "voting_ms": 3 * DAY_MS}
    charter["concentration"] = {"max_single_share": "1/3", "min_breadth": "1/2"}
    return charter


@dataclass
class CargoAssembly:
    log: str
    name: str
    keys: dict[str, Keypair]
    clock: Clock
    ids: dict[str, int] = field(default_factory=dict)

    def pub(self, name: str) -> str:
        return self.keys[name].public

    def name_of(self, member: str) -> str:
        return next(n for n, k in self.keys.items() if k.public == member)

    def act(self, who: str, type: str, content: dict[str, Any]) -> int:
        """Sign `content` as `who` and append it through the real write path; return its seq."""
        body = make_body(content, vis="public")
        signed = sign_act(self.keys[who], log=self.log, type=type, body=body, nonce=f"c{next(_nonces)}")
        return do_append(self.log, signed_act=signed, body=body).seq

    def decide(self, matter: str, effect: dict[str, Any], *, title: str = "", by: str = "ana") -> int:
        """Table a proposal between meetings, every member votes yes, close it; return its id."""
        proposal = self.act(
            by, "proposal.tabled", {"matter": matter, "title": title or matter, "text": "", "effect": effect}
        )
        question = self.act(
            by, "question.opened", {"proposal": proposal, "deadline": self.clock.now + DAY_MS}
        )
        eligible = read_state(self.log, lambda s: set(s.questions[question].eligible))
        for name in NAMES:
            if self.pub(name) in eligible:
                self.act(name, "vote.cast", {"question": question, "choice": "yes"})
        self.act(by, "question.closed", {"question": question})
        return proposal

    def holders(self, cargo: str) -> list[str]:
        """The names of who holds `cargo` now (by the last entry's time)."""

        def read(state: Any) -> list[str]:
            record = state.cargos[cargo]
            return sorted(m for m in record.holders if record.held_by(m, now=state.last_time))

        return [self.name_of(m) for m in read_state(self.log, read)]


def found_cargo_assembly(clock: Clock, *, name: str = "Junta Vecinal de Villa Esperanza") -> CargoAssembly:
    """Found the assembly: ana convenes and bea keeps minutes (for a year); nothing else yet."""
    keys = {n: keypair(n) for n in NAMES}
    until = FOUNDED_AT + 365 * DAY_MS
    content = build_founding_content(
        name,
        founded_at=FOUNDED_AT,
        charter=cargo_charter(),
        founders=[(keys[n].public, HOUSEHOLDS[n]) for n in NAMES],
        cargos=[("convenor", keys["ana"].public, until), ("minute_keeper", keys["bea"].public, until)],
    )
    body = build_founding_body(content, [endorse_founding(k, content) for k in keys.values()])
    log = log_id_for(body)
    do_found_assembly(
        signed_act=sign_act(keys["ana"], log=log, type=FOUNDED, body=body, nonce="f"), body=body
    )
    return CargoAssembly(log, name, keys, clock)


def create_cargo(asm: CargoAssembly, cargo: str, *, powers: list[str], burden: int = 1) -> int:
    effect = {"cargo": cargo, "powers": powers, "burden": burden, "term_days": 30, "seats": 1}
    return asm.decide("cargo_creation", effect, title=f"Crear el cargo {cargo}")


def _secret(name: str) -> str:
    return hashlib.sha256(b"draw-secret/" + name.encode()).hexdigest()


def run_draw(asm: CargoAssembly, *, complete: bool = True) -> int:
    """A panel of three drawn from everyone, one or two per zone; dora withholds her reveal."""
    zones = {"ana": "norte", "bea": "norte", "carla": "sur", "dora": "sur", "eva": "norte", "flor": "sur"}
    pool = {asm.pub(n): {"zona": z} for n, z in zones.items()}
    quotas = [Quota("zona", "norte", 1, 2), Quota("zona", "sur", 1, 2)]
    now = asm.clock.now
    body = {
        "purpose": "Comisión de agua",
        **prepare_draw(pool, quotas=quotas, panel_size=3, size=100),
        "commit_until": now + 60_000,
        "reveal_until": now + 120_000,
        "beacon_chain": [{"source": BEACON["source"], "round": BEACON["round"]}],
        "beacon_after": now + 180_000,
    }
    draw = asm.act("carla", "draw.prepared", body)
    lottery = read_state(asm.log, lambda s: s.draws[draw].lottery_hash)
    for name in ("bea", "carla", "dora"):
        commitment = commitment_for(bytes.fromhex(_secret(name)), lottery=lottery, member=asm.pub(name))
        asm.act(name, "draw.committed", {"draw": draw, "commitment": commitment})
    asm.clock.advance(60_000)
    for name in ("bea", "carla"):
        asm.act(name, "draw.revealed", {"draw": draw, "secret": _secret(name)})
    if complete:
        asm.clock.advance(120_000)
        result = read_state(asm.log, lambda s: recompute_draw(draw_evidence(s.draws[draw], beacon=BEACON)))
        completion = {"draw": draw, "index": result.index, "panel": list(result.panel), "beacon": BEACON}
        asm.act("eva", "draw.completed", completion)
    return draw


def build_scene(clock: Clock, *, draw: bool = True) -> CargoAssembly:
    """Cargos by turn, an exemption, a mandate, delegates' votes and an overdue report, a recall
    petition collecting signatures, a completed draw and a meeting where people spoke."""
    asm = found_cargo_assembly(clock)
    asm.ids["exemption"] = asm.decide(
        "exemption",
        {
            "household": "Quispe",
            "start": clock.now,
            "end": clock.now + 90 * DAY_MS,
            "reason": "Cuida a su madre",
        },
        title="Exención para la familia Quispe",
    )
    create_cargo(asm, "tesoreria", powers=["keep_accounts"], burden=2)
    create_cargo(asm, "delegacion", powers=["represent_in:fejuve"])
    asm.ids["mandate"] = asm.decide(
        "mandate",
        {"body": "fejuve", "question": "Tarifa del agua", "position": "no"},
        title="Mandato: tarifa del agua",
    )
    delegate = asm.holders("delegacion")[0]
    asm.ids["voted"] = asm.act(
        delegate,
        "delegate.voted",
        {"body": "fejuve", "session": "marzo", "question": "Tarifa del agua", "choice": "no"},
    )
    reporter = next(n for n in NAMES if n != delegate)
    asm.ids["reported"] = asm.act(
        reporter,
        "delegate.vote_reported",
        {
            "body": "fejuve",
            "session": "marzo",
            "question": "Nuevo peaje",
            "choice": "yes",
            "delegate": asm.pub(delegate),
        },
    )
    treasurer = asm.holders("tesoreria")[0]
    petitioner = next(n for n in NAMES if n not in (treasurer, delegate))
    asm.ids["petition"] = asm.act(
        petitioner,
        "recall.petitioned",
        {"cargo": "tesoreria", "member": asm.pub(treasurer), "reason": "No rinde cuentas de la caja."},
    )
    meeting = asm.act("ana", "meeting.convened", {"title": "Asamblea de enero", "starts": clock.now})
    for name in ("ana", "bea", "carla"):
        asm.act(name, "presence.signed", {"meeting": meeting})
    asm.act("bea", "speaker.queued", {"meeting": meeting})
    asm.act("ana", "speaker.called", {"meeting": meeting, "member": asm.pub("bea")})
    asm.ids["meeting"] = meeting
    if draw:
        asm.ids["draw"] = run_draw(asm)
    clock.advance(10 * DAY_MS)  # the report on March's session is now overdue
    return asm
