"""A draw by lot in real browsers: members commit to secrets made on their own devices, reveal them with one
tap, and the panel the page shows is the one `recompute_draw` gets from the record alone.

Bea (Spanish, phone) and Carla (English, desktop) commit and reveal under the node's strict CSP; Eva's
browser (English, allowed to inject axe) commits and reveals too and is checked for accessibility at
every step, at phone and desktop size. Dora commits, then opens the page in another browser, which does
not hold her secret: the page says so and what it means, and her part counts as null. The draw is
completed with the beacon value as `ayllu draw complete_draw` does (the node fetches no beacon). With
AYLLU_SCREENSHOTS=<dir>, the page is shot at every step (scripts/screenshots.py does that).
"""

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from ayllu.actions.record import do_verify_record, forget_replayed_state
from ayllu.core.sortition import commitment_for, recompute_draw
from ayllu.core.sortition.acts import draw_evidence
from ayllu.queries.replayed import read_state
from factories.scenes import (
    HOUR_MS,
    CargoAssembly,
    Clock,
    complete_draw,
    draw_record,
    found_cargo_assembly,
    open_draw,
)

from .browsing import DESKTOP, PHONE, assert_accessible, log_in_as

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

WAIT_MS = 15_000
# The secret draw.js keeps on this device for the page's draw and member, or null.
STORED_SECRET = """async () => {
    const section = document.querySelector("[data-ayllu-draw]");
    const {getDrawSecret} = await import("/static/web/js/draw.js");
    const {log, draw, member} = section.dataset;
    const stored = await getDrawSecret(log, Number(draw), member);
    return stored ? stored.secret : null;
}"""
BUTTONS = {
    "es": {
        "commit": "Comprometerse con un secreto",
        "reveal": "Revelar mi secreto",
    },
    "en": {"commit": "Commit to a secret", "reveal": "Reveal my secret"},
}
DRAWS = {"es": "sorteos", "en": "draws"}


@pytest.fixture
def asm(transactional_db: None, clock: Clock) -> Iterator[CargoAssembly]:
    forget_replayed_state()
    yield found_cargo_assembly(clock)
    forget_replayed_state()


class Member:
    """One member in a browser context of their own, their key on the device, logged in."""

    def __init__(
        self,
        browser: Any,
        asm: CargoAssembly,
        name: str,
        live: str,
        *,
        language: str,
        viewport: Any,
        axe: bool,
    ) -> None:
        self.name, self.language = name, language
        self.context = browser.new_context(viewport=viewport, bypass_csp=axe)
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.hosts: set[str] = set()
        self.page.on("pageerror", lambda error: self.problems.append(str(error)))
        self.page.on("console", lambda m: m.type == "error" and self.problems.append(m.text))
        self.page.on("request", lambda request: self.hosts.add(urlsplit(request.url).netloc))
        base = f"{live}/{language}/{'asamblea' if language == 'es' else 'assembly'}/{asm.log}"
        self.draws = f"{base}/{DRAWS[language]}"
        key = asm.keys[name]
        log_in_as(self.page, live, asm.log, seed=key.seed().hex(), public=key.public, language=language)

    def open(self, draw: int) -> Any:
        """Open the draw page and wait until draw.js has looked at what this device holds."""
        self.page.goto(f"{self.draws}/{draw}/")
        if self.page.locator("[data-ayllu-draw]").count():
            self.page.wait_for_selector("[data-ayllu-draw][data-ready='1']", timeout=WAIT_MS)
        return self.page

    def press(self, step: str) -> None:
        """Commit or reveal with one tap, and wait until the act is recorded and the page reloads."""
        with self.page.expect_navigation(timeout=WAIT_MS):
            self.page.get_by_role("button", name=BUTTONS[self.language][step]).click()
        self.page.wait_for_selector("[data-ayllu-draw][data-ready='1'], .panel-chosen", timeout=WAIT_MS)

    def text(self) -> str:
        return str(self.page.locator("main").inner_text())


# The steps worth a picture in docs/screenshots (every step is still checked at both sizes).
SHOTS = {"committing-phone", "lost-phone", "lost-desktop", "revealing-phone", "revealing-desktop"}
SHOTS |= {"completed-phone", "completed-desktop"}


def shoot(member: Member, name: str) -> None:
    shots = os.environ.get("AYLLU_SCREENSHOTS", "")
    size = "phone" if member.page.viewport_size["width"] == PHONE["width"] else "desktop"
    if shots and f"{name}-{size}" in SHOTS:
        path = Path(shots) / f"draw-{name}-{member.language}-{size}.png"
        member.page.screenshot(path=str(path), full_page=True)


def check_both_sizes(member: Member, name: str) -> None:
    """axe, no sideways scroll and 44 px targets at phone and desktop size (screenshots when asked)."""
    for viewport in (PHONE, DESKTOP):
        member.page.set_viewport_size(viewport)
        shoot(member, name)
        assert_accessible(
            member.page, f"{name} {viewport['width']}px", viewport, targets="main a, main button"
        )
    member.page.set_viewport_size(PHONE)


def test_members_commit_and_reveal_on_their_devices_and_the_panel_shown_is_the_recomputed_one(
    browser: Any, live_server: Any, asm: CargoAssembly, clock: Clock
) -> None:
    # given: a draw open for commitments, four members each in their own browser
    draw = open_draw(asm, window_ms=HOUR_MS)
    live = live_server.url
    bea = Member(browser, asm, "bea", live, language="es", viewport=PHONE, axe=False)
    carla = Member(browser, asm, "carla", live, language="en", viewport=DESKTOP, axe=False)
    dora = Member(browser, asm, "dora", live, language="es", viewport=PHONE, axe=False)
    eva = Member(browser, asm, "eva", live, language="en", viewport=PHONE, axe=True)
    eva.open(draw)
    check_both_sizes(eva, "committing")

    # when: each commits with one tap
    for member in (bea, carla, dora, eva):
        member.open(draw)
        member.press("commit")
    # then: the record holds four commitments; each device holds the secret that opens its own
    record = draw_record(asm, draw)
    assert sorted(record.commitments) == sorted(asm.pub(n) for n in ("bea", "carla", "dora", "eva"))
    assert record.reveals == {}
    for member in (bea, carla, dora, eva):
        secret = member.page.evaluate(STORED_SECRET)
        assert len(secret) == 64 and secret not in str(record.commitments)
        expected = commitment_for(
            bytes.fromhex(secret), lottery=record.lottery_hash, member=asm.pub(member.name)
        )
        assert record.commitments[asm.pub(member.name)] == expected
    assert "Usted se comprometió con un secreto" in bea.text() and "Revelar mi secreto" not in bea.text()
    assert "You committed to a secret" in eva.text()
    check_both_sizes(eva, "committed")

    # when: committing closes; dora opens the page in another browser, which never held her secret
    clock.advance(HOUR_MS)
    elsewhere = Member(browser, asm, "dora", live, language="es", viewport=PHONE, axe=True)
    elsewhere.open(draw)
    # then: the page says the secret is not here, only the browser that made it can reveal, and what not
    # revealing means; there is no reveal button
    lost = elsewhere.text()
    assert "Este navegador no guarda su secreto" in lost and "cuenta como nula" in lost
    assert "no se vuelve a sortear" in lost
    assert elsewhere.page.get_by_role("button", name="Revelar mi secreto").count() == 0
    check_both_sizes(elsewhere, "lost")
    elsewhere.context.close()

    # when: bea, carla and eva reveal with one tap; dora does not
    for member in (bea, carla, eva):
        member.open(draw)
        assert member.page.get_by_role("button", name=BUTTONS[member.language]["reveal"]).is_visible()
        if member is eva:
            check_both_sizes(eva, "revealing")
        member.press("reveal")
    # then: their reveals are in the record and their devices forgot the secrets
    record = draw_record(asm, draw)
    assert sorted(record.reveals) == sorted(asm.pub(n) for n in ("bea", "carla", "eva"))
    assert all(m.page.evaluate(STORED_SECRET) is None for m in (bea, carla, eva))
    bea.open(draw)
    assert "Usted reveló su secreto" in bea.text() and "secretos revelados: 3" in bea.text()
    check_both_sizes(eva, "revealed")

    # when: the reveal window and the beacon's time pass, and a member completes the draw
    clock.advance(2 * HOUR_MS)
    complete_draw(asm, draw)
    # then: the panel shown is the one recompute_draw gives from the record, and from the evidence download
    from_record = read_state(
        asm.log, lambda s: recompute_draw(draw_evidence(s.draws[draw], beacon=s.draws[draw].beacon))
    )
    page = carla.open(draw)
    shown = page.eval_on_selector_all(".panel-chosen .person__key", "els => els.map(e => e.title)")
    assert shown == list(from_record.panel)
    evidence = page.request.get(f"{carla.draws}/{draw}/evidence.json").json()
    assert list(recompute_draw(evidence).panel) == shown and evidence["index"] == from_record.index
    text = carla.text()
    assert "withheld: counts as null" in text and "Recompute it yourself" in text
    assert from_record.withheld == (asm.pub("dora"),) or list(from_record.withheld) == [asm.pub("dora")]
    eva.open(draw)
    check_both_sizes(eva, "completed")
    bea.open(draw)
    shoot(bea, "completed")
    assert do_verify_record(asm.log, workers=1).ok
    for member in (bea, carla, dora, eva):
        assert member.problems == [], member.name
        assert member.hosts == {urlsplit(live).netloc}
        member.context.close()


# A secret put on the device as if an earlier attempt had stored it, for the page's draw and member.
PUT_SECRET = """async (secret) => {
    const section = document.querySelector("[data-ayllu-draw]");
    const {log, draw, member, lottery} = section.dataset;
    const db = await new Promise((resolve, reject) => {
        const opening = indexedDB.open("ayllu-draw-secrets", 1);
        opening.onupgradeneeded = () => opening.result.createObjectStore("secrets", {keyPath: "slot"});
        opening.onsuccess = () => resolve(opening.result);
        opening.onerror = () => reject(opening.error);
    });
    await new Promise((resolve, reject) => {
        const tx = db.transaction("secrets", "readwrite");
        const slot = `${log}/${draw}/${member}`;
        const stored = {slot, log, draw: Number(draw), member, lottery, secret, commitment: ""};
        tx.objectStore("secrets").put(stored);
        tx.oncomplete = resolve;
        tx.onerror = () => reject(tx.error);
    });
    db.close();
}"""


def test_a_late_commit_is_refused_in_words_and_a_secret_that_does_not_match_is_never_sent(
    browser: Any, live_server: Any, asm: CargoAssembly, clock: Clock
) -> None:
    # given: carla commits, then what her browser holds is replaced by another secret; bea reads the draw
    # while committing is open, and then the commit deadline passes
    draw = open_draw(asm, window_ms=HOUR_MS)
    carla = Member(browser, asm, "carla", live_server.url, language="en", viewport=PHONE, axe=False)
    carla.open(draw)
    carla.press("commit")
    carla.page.evaluate(PUT_SECRET, "ab" * 32)
    bea = Member(browser, asm, "bea", live_server.url, language="es", viewport=PHONE, axe=False)
    bea.open(draw)
    clock.advance(HOUR_MS)

    # when: bea taps commit on the page she has open
    bea.page.get_by_role("button", name="Comprometerse con un secreto").click()
    bea.page.wait_for_selector("form[data-ayllu-draw-commit][data-state='draw_wrong_phase']", timeout=WAIT_MS)
    # then: the node's refusal shows in her language, nothing is recorded and the secret made for it is gone
    status = bea.page.locator("form[data-ayllu-draw-commit] [data-ayllu-status]").inner_text()
    assert "Este paso del sorteo llega fuera de tiempo" in status
    assert list(draw_record(asm, draw).commitments) == [asm.pub("carla")]
    assert bea.page.evaluate(STORED_SECRET) is None

    # when: carla opens the page in the reveal window
    carla.open(draw)
    # then: the page says the secret here does not match, offers no reveal, and nothing is sent
    assert carla.page.locator("[data-ayllu-draw]").get_attribute("data-held") == "mismatch"
    assert "The secret in this browser does not match your commitment" in carla.text()
    assert carla.page.get_by_role("button", name="Reveal my secret").count() == 0
    assert draw_record(asm, draw).reveals == {}
    for member in (bea, carla):
        # the refused commit's 409 is the one error the console may show
        assert [p for p in member.problems if "409" not in p] == [], member.name
        member.context.close()
