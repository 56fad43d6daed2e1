"""Scenes: assemblies with a history, written through the real write path for page, API-less and browser
tests.

- `meeting_with_everyone`, `consent_decided_with_answered_objection`: a meeting and a decision by consent
  in an assembly built by `stored.found_with_officers`.
- The cargo scene (`build_scene`): cargos filled by turn, an exemption, mandates and delegates' votes, a
  recall petition, a draw by lot and a meeting, each act signed by its member, on a clock the test moves.
  The node's clock (entry times) and the pages' clock both read `Clock.now`, so a test can let a term end
  and see the next household take its turn.
- Draws on the cargo scene: `open_draw`, `commit`, `complete`, `signed_payload` (what draw.js posts).
"""

import hashlib
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from ayllu.actions.record import do_append, do_found_assembly
from ayllu.core.charter.rules import DAY_MS, default_charter_data
from ayllu.core.ledger.keys import Keypair
from ayllu.core.ledger.record import make_body, sign_act
from ayllu.core.sortition import Quota, commitment_for, recompute_draw
from ayllu.core.sortition.acts import draw_evidence
from ayllu.core.sortition.preparation import prepare_draw
from ayllu.queries.replayed import read_state

from .charters import MAJORITY
from .keys import keypair
from .records import FOUNDED_AT, founding_act, next_nonce
from .stored import StoredAssembly, act


def meeting_with_everyone(assembly: StoredAssembly, *, title: str = "Asamblea ordinaria") -> int:
    """The convenor convenes a meeting that has started; every member signs in as present."""
    meeting = act(assembly, assembly.convenor, "meeting.convened", {"title": title, "starts": FOUNDED_AT})
    for member in assembly.members:
        act(assembly, member, "presence.signed", {"meeting": meeting})
    return meeting


def consent_decided_with_answered_objection(assembly: StoredAssembly, meeting: int) -> dict[str, int]:
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


# --- the cargo scene --------------------------------------------------------------------------------
SCENE_FOUNDED_AT = 1_767_268_800_000  # 2026-01-01 12:00 UTC
# The scene's story (and tests/browser's) relies on the turns its record's id draws, and the id hashes the
# founding act: these keys, the charter and the name. Its members' keys are a family of their own.
SCENE_KEYS = "cargo-pages"
NAMES = ("ana", "bea", "carla", "dora", "eva", "flor")
# Six members in five households: eva and flor live together.
HOUSEHOLDS = {"ana": "Apaza", "bea": "Mamani", "carla": "Quispe", "dora": "Condori", "eva": "Choque"}
HOUSEHOLDS["flor"] = "Choque"
BEACON = {"source": "drand-quicknet", "round": 12_345, "value": "5e" * 32}
HOUR_MS = 3_600_000
ZONES = {"ana": "norte", "bea": "norte", "carla": "sur", "dora": "sur", "eva": "norte", "flor": "sur"}


@dataclass
class Clock:
    """The node's time in ms: each reading moves it one second, `advance` jumps ahead."""

    now: int = SCENE_FOUNDED_AT + 60_000

    def __call__(self) -> int:
        self.now += 1000
        return self.now

    def advance(self, ms: int) -> None:
        self.now += ms


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[Clock]:
    """Entries and pages read this clock instead of the real one."""
    fake = Clock()
    monkeypatch.setattr("ayllu.storage.clock.now_ms", fake)
    yield fake


def scene_charter() -> dict[str, Any]:
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
        signed = sign_act(self.keys[who], log=self.log, type=type, body=body, nonce=next_nonce("c"))
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


def found_cargo_assembly(
    clock: Clock, *, name: str = "Junta Vecinal de Villa Esperanza", households: dict[str, str] | None = None
) -> CargoAssembly:
    """Found the assembly: ana convenes and bea keeps minutes (for a year); nothing else yet."""
    keys = {n: keypair(n, family=SCENE_KEYS) for n in NAMES}
    until = SCENE_FOUNDED_AT + 365 * DAY_MS
    homes = households or HOUSEHOLDS
    signed, body = founding_act(
        [(keys[n], homes[n]) for n in NAMES],
        name=name,
        founded_at=SCENE_FOUNDED_AT,
        charter=scene_charter(),
        cargos=[("convenor", keys["ana"].public, until), ("minute_keeper", keys["bea"].public, until)],
    )
    do_found_assembly(signed_act=signed, body=body)
    log = signed.act.log
    return CargoAssembly(log, name, keys, clock)


def create_cargo(asm: CargoAssembly, cargo: str, *, powers: list[str], burden: int = 1) -> int:
    effect = {"cargo": cargo, "powers": powers, "burden": burden, "term_days": 30, "seats": 1}
    return asm.decide("cargo_creation", effect, title=f"Crear el cargo {cargo}")


def run_draw(asm: CargoAssembly, *, complete: bool = True) -> int:
    """A panel of three drawn from everyone, one or two per zone, a minute for each step; bea, carla and
    dora commit; dora withholds her reveal."""
    draw = open_draw(asm, window_ms=60_000)
    for name in ("bea", "carla", "dora"):
        commit(asm, draw, name)
    asm.clock.advance(60_000)
    for name in ("bea", "carla"):
        asm.act(name, "draw.revealed", {"draw": draw, "secret": secret_of(name)})
    if complete:
        asm.clock.advance(120_000)
        complete_draw(asm, draw)
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


# --- draws on the cargo scene ----------------------------------------------------------------------
def open_draw(asm: CargoAssembly, *, window_ms: int = HOUR_MS) -> int:
    """Carla records a draw of three from everyone, one or two per zone: committing is open for
    `window_ms`, revealing for as long again, and the beacon comes a window later."""
    pool = {asm.pub(n): {"zona": z} for n, z in ZONES.items()}
    quotas = [Quota("zona", "norte", 1, 2), Quota("zona", "sur", 1, 2)]
    now = asm.clock.now
    body = {
        "purpose": "Comisión de agua",
        **prepare_draw(pool, quotas=quotas, panel_size=3, size=100),
        "commit_until": now + window_ms,
        "reveal_until": now + 2 * window_ms,
        "beacon_chain": [{"source": BEACON["source"], "round": BEACON["round"]}],
        "beacon_after": now + 3 * window_ms,
    }
    return asm.act("carla", "draw.prepared", body)


def draw_record(asm: CargoAssembly, draw: int) -> Any:
    """The draw as replay holds it (commitments, reveals, deadlines, result)."""
    return read_state(asm.log, lambda s: s.draws[draw])


def secret_of(name: str) -> str:
    return hashlib.sha256(b"draw-page-secret/" + name.encode()).hexdigest()


def commitment_of(asm: CargoAssembly, draw: int, name: str, *, secret: str = "") -> str:
    lottery = draw_record(asm, draw).lottery_hash
    return commitment_for(bytes.fromhex(secret or secret_of(name)), lottery=lottery, member=asm.pub(name))


def commit(asm: CargoAssembly, draw: int, name: str) -> int:
    return asm.act(name, "draw.committed", {"draw": draw, "commitment": commitment_of(asm, draw, name)})


def signed_payload(asm: CargoAssembly, name: str, type: str, content: dict[str, Any]) -> dict[str, Any]:
    """What draw.js posts to the act route: the act signed with `name`'s key, the body's text."""
    body = make_body(content, vis="public")
    signed = sign_act(asm.keys[name], log=asm.log, type=type, body=body, nonce=secrets.token_hex(8))
    return {"act": signed.act.as_json(), "body": body.raw.decode(), "asig": signed.asig}


def complete_draw(asm: CargoAssembly, draw: int, *, by: str = "eva") -> int:
    """Complete the draw with the beacon value, as `ayllu draw complete` does."""
    result = read_state(asm.log, lambda s: recompute_draw(draw_evidence(s.draws[draw], beacon=BEACON)))
    completion = {"draw": draw, "index": result.index, "panel": list(result.panel), "beacon": BEACON}
    return asm.act(by, "draw.completed", completion)


# --- hostile words: every field as long as it may be, unbroken, and names written right to left -----
UNBROKEN_TITLE = "Ñ" * 200
UNBROKEN_TEXT = "x" * 10_000
RIGHT_TO_LEFT = "شارع الحرية 5"
HOSTILE_HOUSEHOLDS = {**HOUSEHOLDS, "ana": RIGHT_TO_LEFT, "bea": "H" * 64}


def build_hostile_scene(clock: Clock) -> CargoAssembly:
    """The cargo scene's kinds of acts with the longest words the record takes: an unbroken 200-character
    name and titles, unbroken 10,000-character texts, households and members' chosen names written right to
    left or 64 characters long; and, still waiting, an applicant, a lost-key claim and a proposal under
    deliberation with a comment and an objection."""
    asm = found_cargo_assembly(clock, name=UNBROKEN_TITLE, households=HOSTILE_HOUSEHOLDS)
    asm.decide(
        "exemption",
        {"household": "H" * 64, "start": clock.now, "end": clock.now + 90 * DAY_MS, "reason": UNBROKEN_TITLE},
        title=UNBROKEN_TITLE,
    )
    create_cargo(asm, "tesoreria", powers=["keep_accounts"], burden=2)
    create_cargo(asm, "delegacion", powers=["represent_in:fejuve"])
    asm.decide(
        "mandate", {"body": "fejuve", "question": UNBROKEN_TITLE, "position": "no"}, title=UNBROKEN_TITLE
    )
    delegate = asm.holders("delegacion")[0]
    asm.act(
        delegate,
        "delegate.voted",
        {"body": "fejuve", "session": "m" * 64, "question": UNBROKEN_TITLE, "choice": "no"},
    )
    treasurer = asm.holders("tesoreria")[0]
    petitioner = next(n for n in NAMES if n not in (treasurer, delegate))
    asm.act(
        petitioner,
        "recall.petitioned",
        {"cargo": "tesoreria", "member": asm.pub(treasurer), "reason": UNBROKEN_TEXT},
    )
    meeting = asm.act("ana", "meeting.convened", {"title": UNBROKEN_TITLE, "starts": clock.now})
    for name in ("ana", "bea", "carla"):
        asm.act(name, "presence.signed", {"meeting": meeting})
    asm.act("bea", "speaker.queued", {"meeting": meeting})
    asm.ids["meeting"] = meeting
    proposal = asm.act(
        "bea",
        "proposal.tabled",
        {"matter": "ordinary", "title": UNBROKEN_TITLE, "text": UNBROKEN_TEXT, "effect": {}},
    )
    asm.act("carla", "comment.posted", {"proposal": proposal, "text": UNBROKEN_TEXT})
    asm.act("dora", "objection.raised", {"proposal": proposal, "reason": UNBROKEN_TEXT})
    asm.ids["proposal"] = proposal
    asm.act("eva", "notice.posted", {"text": UNBROKEN_TEXT})
    # Chosen names: one unbroken at the most a name holds, one written right to left.
    asm.act("ana", "member.named", {"name": "N" * 64})
    asm.act("bea", "member.named", {"name": RIGHT_TO_LEFT})
    for outsider, content in (
        (keypair("applicant", family=SCENE_KEYS), {"type": "member.applied", "household": RIGHT_TO_LEFT}),
        (keypair("new-phone", family=SCENE_KEYS), {"type": "member.key_claimed", "member": asm.pub("carla")}),
    ):
        type_ = content.pop("type")
        body = make_body(content, vis="public")
        signed = sign_act(outsider, log=asm.log, type=type_, body=body, nonce=next_nonce("h"))
        do_append(asm.log, signed_act=signed, body=body)
    asm.ids["draw"] = run_draw(asm)
    return asm
