"""Two councils federate from their phones (issue 14): each decides, in its own assembly, to send a
delegate and what the delegate must vote; the delegates take their seats and cast their councils'
voices in the federation; the resolution is adopted; each council ratifies it by its own decision; and
the result reads the same on both councils' home pages and on the federation's.

Alto Lima has three members, all on their phones; Bajo Llojeta has thirty, of whom the ones who act
(the proposer, the delegate the turn order names) are on their phones and the rest vote through the
write path (they are not the actors, and thirty phones would only repeat the same clicks). The
federation itself is founded by the factories (its found page is walked in
tests/browser/test_founding_federation_flow.py).

Every act of the actors goes through the pages a member would use, signed on the device (for the
federation's forms, with the key the phone keeps for the member's home assembly: `data-key-log`),
at 360 px in Spanish. Steps are checked (axe, no sideways scroll, no console error) and shot to
docs/screenshots/federation-walk/.
"""

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from ayllu.actions.record import forget_replayed_state
from ayllu.core.charter.rules import DAY_MS
from ayllu.queries.federations import get_federation
from ayllu.queries.replayed import read_state
from factories.charters import cargo_charter
from factories.federation_votes import majority_federation_charter
from factories.federations_stored import found_stored_federation
from factories.keys import keypair
from factories.records import FOUNDED_AT
from factories.scenes import Clock
from factories.stored import StoredAssembly, act, found

from .browsing import PHONE, put_key_on_device
from .walk import SHOTS, Walk, log_in_with_key, sign

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("browser")]

WALK_SHOTS = SHOTS / "federation-walk"
ALTO = ["ana", "bea", "carla"]
BAJO = ["dora", "eva", "flor", *(f"vecina{n}" for n in range(27))]


@pytest.fixture
def clock(transactional_db: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[Clock]:
    forget_replayed_state()
    fake = Clock()
    fake.now = max(fake.now, FOUNDED_AT + 60_000)
    monkeypatch.setattr("ayllu.storage.clock.now_ms", fake)
    yield fake
    forget_replayed_state()


class Council:
    """One council on the walk: its walk (pages, language, viewport), its members' keys by name, and the
    pages of the members on their phones."""

    def __init__(self, w: Walk, assembly: StoredAssembly, names: list[str]) -> None:
        self.w = w
        self.assembly = assembly
        self.keys = dict(zip(names, assembly.members, strict=True))
        self.pages: dict[str, Any] = {}

    def page(self, name: str) -> Any:
        """`name`'s phone, logged in to the council (opened on first use)."""
        if name not in self.pages:
            self.pages[name] = log_in_with_key(self.w, self.keys[name])
        return self.pages[name]

    def name_of(self, public: str) -> str:
        return next(n for n, k in self.keys.items() if k.public == public)


# the steps whose screenshots are kept in docs/screenshots/federation-walk/ (the others are checked alike)
KEPT = {
    "alto-cargo-adoptado",
    "alto-credencial",
    "alto-ocupar-lugar",
    "alto-nuestras-federaciones",
    "bajo-ratificar-propuesta",
}


def shoot(w: Walk, page: Any, name: str) -> None:
    """Check the page (Walk.step); keep the screenshot of the steps in KEPT."""
    w.step(page, name)
    if f"{w.scene}-{name}" in KEPT:
        taken = w.shots / f"{w.scene}-{w.steps:02d}-{name}.png"  # type: ignore[operator]
        WALK_SHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(taken, WALK_SHOTS / f"{w.scene}-{name}.png")


def shoot_part(page: Any, selector: str, name: str) -> None:
    """Keep a screenshot of one part of the page (a result further down than three screens)."""
    WALK_SHOTS.mkdir(parents=True, exist_ok=True)
    page.locator(selector).first.screenshot(path=str(WALK_SHOTS / f"{name}.png"))


def decide(council: Council, proposal: str, voters: list[str], clock: Clock) -> None:
    """Open the question on `proposal` (its proposer's phone), let `voters` vote yes (the actors on their
    phones, the others through the write path), and close it once its time is up."""
    w = council.w
    clock.advance(2000)  # the charter's deliberation time
    chair = council.page(voters[0])
    chair.goto(proposal)
    deadline = int(chair.locator("input[name='body.deadline']").get_attribute("value"))
    sign(chair, w.t("Open the question"))
    yes = w.t("In favour")
    for name in voters:
        if name in council.pages:
            page = council.pages[name]
            page.goto(proposal)
            sign(page, yes, within=page.locator(".panel--decide"))
    others = [n for n in voters if n not in council.pages]
    if others:
        q = _open_question_id(council.assembly.log)
        for name in others:
            act(council.assembly, council.keys[name], "vote.cast", {"question": q, "choice": "yes"})
    if len(voters) < len(council.keys):  # not everyone voted: the question closes at its deadline
        clock.now = max(clock.now, deadline + 1000)
    chair.goto(proposal)
    sign(chair, w.t("Close the question"))


def _open_question_id(log: str) -> int:
    return read_state(log, lambda s: max(q.id for q in s.questions.values() if not q.closed_seq))


def delegate_of(log: str, federation: str) -> str:
    """The key that holds the cargo representing the council in `federation` now."""

    def read(state: Any) -> str:
        for record in state.cargos.values():
            if f"represent_in:{federation}" in record.powers:
                held = [m for m in record.holders if record.held_by(m, now=state.last_time)]
                return str(held[0])
        raise AssertionError("no delegate")

    return read_state(log, read)


def send_a_delegate(council: Council, federation: str, clock: Clock, *, voters: list[str]) -> Any:
    """The council creates a cargo representing it in the federation; the turn names a delegate, who
    issues their credential on the mandates page and takes their seat on the federation's page.
    Returns the delegate's phone."""
    w = council.w
    proposer = council.page(voters[0])
    proposer.goto(w.url("new_matter_proposal", matter="cargo_creation"))
    proposer.get_by_label(w.t("Name of the cargo")).fill("Delegación a la federación")
    proposer.get_by_label(w.t("Represent the assembly in another body (optional): which one")).fill(
        federation
    )
    proposer.get_by_label(w.t("Length of each term, in days")).fill("90")
    shoot(w, proposer, "cargo-delegado")
    sign(proposer, w.t("Table the proposal"))
    decide(council, proposer.url, voters, clock)
    shoot(w, proposer, "cargo-adoptado")
    delegate = council.page(council.name_of(delegate_of(council.assembly.log, federation)))
    delegate.goto(w.url("mandates"))
    delegate.get_by_text(w.t("Issue your credential for this federation")).click()
    shoot(w, delegate, "credencial")
    sign(delegate, w.t("Issue the credential"))
    delegate.goto(w.url("federation_home", log=federation))
    # the page tells a delegate logged in at home, at its top, that their seat waits further down
    delegate.get_by_role("link", name=w.t("Your credential is ready: take your seat")).click()
    shoot(w, delegate, "ocupar-lugar")
    assert delegate.get_by_role("button", name=w.t("Take my seat")).count() == 1
    shoot_part(
        delegate, "li.card:has(form[data-type='federation.seated'])", f"{w.scene}-ocupar-lugar-formulario"
    )
    sign(delegate, w.t("Take my seat"))
    return delegate


def mandate(council: Council, federation: str, question: int, clock: Clock, *, voters: list[str]) -> None:
    """The council decides its mandate on the federation's question (yes) and a member states it."""
    w = council.w
    page = council.page(voters[0])
    page.goto(w.url("mandates"))
    page.get_by_text(w.t("Propose a mandate")).click()
    form = page.locator("form[data-ayllu-effect-form]")
    # the federation's open questions and the positions its vote reads are chosen, not typed
    form.get_by_label(w.t("Question of the federation")).select_option(str(question))
    position = form.get_by_label(w.t("The assembly's position"))
    assert position.locator("option").all_inner_texts() == [w.t("In favour"), w.t("Against"), w.t("Abstain")]
    position.select_option("yes")
    shoot(w, page, "mandato-propuesta")
    sign(page, w.t("Table the proposal"), within=form)
    # the proposal is titled by the federation's name and the question, not by the federation's log id
    title = page.locator("h1").inner_text()
    chosen = w.tr("Question %(n)s: %(title)s", n=question, title="")
    assert title.startswith(f"{w.t('Mandate')}: Federación de juntas vecinales · {chosen}"), title
    decide(council, page.url, voters, clock)
    page.goto(w.url("mandates"))
    shoot(w, page, "mandato-decidido")
    sign(page, w.t("State the mandate for the federation"))


def ratify(council: Council, federation: str, clock: Clock, *, voters: list[str]) -> None:
    """From "our federations" on the council's home: propose ratifying, decide, record, cite."""
    w = council.w
    page = council.page(voters[0])
    page.goto(w.url("assembly"))
    section = page.locator("section[aria-labelledby=federations-title]")
    shoot(w, page, "nuestras-federaciones")
    with page.expect_navigation():
        section.get_by_role("link", name=w.t("Propose ratifying a federation's resolution")).click()
    shoot(w, page, "ratificar-propuesta")
    sign(page, w.t("Table the proposal"))
    decide(council, page.url, voters, clock)
    page.goto(w.url("assembly"))
    sign(page, w.t("Record our decision"))
    shoot(w, page, "ratificacion-registrada")
    page.goto(w.url("assembly"))
    sign(page, w.t("Cite our decision into the federation"))


def test_two_councils_federate_and_ratify_from_their_phones(
    new_page: Any, live_server: Any, clock: Clock, tmp_path: Path
) -> None:
    # given two councils on this node, deciding by majority, and a federation their first members found
    alto = found("Junta Vecinal Alto Lima", members=[keypair(n) for n in ALTO], charter=cargo_charter())
    bajo = found("Junta Vecinal Bajo Llojeta", members=[keypair(n) for n in BAJO], charter=cargo_charter())
    fed = found_stored_federation({"ana": alto, "dora": bajo}, charter=majority_federation_charter())  # type: ignore[dict-item]
    clock.advance(60_000)

    def walk(scene: str, log: str) -> Walk:
        return Walk(scene, live_server.url, "es", PHONE, new_page, log=log, shots=tmp_path)

    a = Council(walk("alto", alto.log), alto, ALTO)
    b = Council(walk("bajo", bajo.log), bajo, BAJO)
    alto_voters, bajo_voters = ALTO, BAJO[:16]
    for name in ALTO:
        a.page(name)
    for name in BAJO[:3]:
        b.page(name)

    # when each council sends a delegate, who takes their seat
    alto_delegate = send_a_delegate(a, fed, clock, voters=alto_voters)
    bajo_delegate = send_a_delegate(b, fed, clock, voters=bajo_voters)

    # and ana, a founder of the federation, tables a resolution there and opens its question
    f = walk("federacion", fed)
    ana = f.open()
    ana.goto(f.url("login"))
    put_key_on_device(ana, fed, seed=keypair("ana").seed().hex(), public=keypair("ana").public)
    f.log_in(ana)
    ana.goto(f.url("new_matter_proposal", matter="resolution"))
    ana.get_by_label(f.t("Title")).fill("Paro cívico por el agua")
    ana.get_by_label(f.t("Share of the member assemblies it needs (as a fraction, such as 2/3)")).fill("1/1")
    shoot(f, ana, "resolucion-propuesta")
    sign(ana, f.t("Table the proposal"))
    resolution = ana.url
    clock.advance(2000)
    # the councils need days to decide their mandates at home: ana gives the question two weeks
    closes = datetime.fromtimestamp((clock.now + 14 * DAY_MS) / 1000, tz=UTC)
    ana.reload()
    ana.get_by_label(f.t("Answers close at")).fill(closes.strftime("%Y-%m-%dT%H:%M"))
    sign(ana, f.t("Open the question"))
    question = read_state(fed, lambda s: max(s.questions))

    # and each council mandates its delegate to vote yes, and the delegate votes so on the federation page
    mandate(a, fed, question, clock, voters=alto_voters)
    mandate(b, fed, question, clock, voters=bajo_voters)
    vote = a.w.tr("Vote “%(choice)s”, as our mandate says", choice=a.w.t("In favour"))
    for council, delegate in ((a, alto_delegate), (b, bajo_delegate)):
        delegate.goto(council.w.url("federation_home", log=fed))
        delegate.get_by_role(
            "link", name=council.w.t("Cast your assembly's voice on the open questions")
        ).click()
        shoot(council.w, delegate, "votar-con-mandato")
        assert delegate.get_by_role("button", name=vote).count() == 1  # their own assembly's voice only
        shoot_part(
            delegate, "li.card:has(form[data-type='federation.voted'])", f"{council.w.scene}-votar-formulario"
        )
        sign(delegate, vote)

    # and ana closes the question once the recall grace time passed: the resolution is adopted
    grace = read_state(fed, lambda s: s.rules.federation.recall_grace_ms)  # type: ignore[union-attr]
    deadline = read_state(fed, lambda s: s.questions[question].deadline)
    clock.now = max(clock.now, deadline + grace + 60_000)
    ana.goto(resolution)
    sign(ana, f.t("Close the question"))
    shoot(f, ana, "resolucion-adoptada")

    # and each council ratifies it by its own decision, from members' phones
    ratify(a, fed, clock, voters=alto_voters)
    ratify(b, fed, clock, voters=bajo_voters)

    # then the federation counts both answers: ratified
    page = get_federation(fed, now=clock.now)
    assert page is not None
    outcome = {r.resolution: r.outcome for r in page.resolutions}
    assert list(outcome.values()) == ["ratified"], outcome
    # and each council's home says its answer was counted, and the federation's page says ratified
    for council in (a, b):
        home = next(iter(council.pages.values()))
        home.goto(council.w.url("assembly"))
        text = home.locator("section[aria-labelledby=federations-title]").inner_text()
        assert council.w.t("Our assembly ratified it; the federation counted our answer.") in text, text
        shoot(council.w, home, "ratificada")
        shoot_part(home, "section[aria-labelledby=federations-title]", f"{council.w.scene}-ratificada")
    ana.goto(f.url("federation_home"))
    assert ana.locator("[data-ayllu-outcome=ratified]").count() == 1
    # a ratified resolution is no longer said to be open for ratification, and its number and title
    # wrap as one line of text (not two columns that break "Resolución" in the middle)
    card = ana.locator("[data-ayllu-resolution]").first
    assert f.t("Ratification open until") not in card.inner_text()
    heading = card.locator("a.card__title > span")
    assert heading.count() == 1 and heading.locator(".resolution-number").count() == 1
    shoot(f, ana, "federacion-ratificada")
    shoot_part(ana, "section[aria-labelledby=resolutions-title]", "federacion-ratificada")
