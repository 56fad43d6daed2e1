"""Checking one decision in a real browser: proof.js verifies the embedded proof with WebCrypto only,
refuses a changed one, agrees with the record's test vectors; the new pages pass axe at phone size."""

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ayllu.actions.record import forget_replayed_state
from factories.scenes import consent_decided_with_answered_objection, meeting_with_everyone
from factories.stored import StoredAssembly, found_with_officers

from .browsing import PHONE, assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

VECTORS = Path(__file__).resolve().parents[2] / "docs" / "record-vectors.json"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
WAIT_MS = 15_000


@pytest.fixture
def decided(transactional_db: None) -> Iterator[tuple[StoredAssembly, int]]:
    forget_replayed_state()
    assembly = found_with_officers("Junta Vecinal Villa Esperanza")
    ids = consent_decided_with_answered_objection(assembly, meeting_with_everyone(assembly))
    yield assembly, ids["question"]
    forget_replayed_state()


def decision_url(live_server: Any, log: str, question: int) -> str:
    return f"{live_server.url}/es/asamblea/{log}/registro/decisiones/{question}/"


def test_the_browser_checks_the_decisions_proof_by_itself(new_page, live_server, decided) -> None:
    # given
    assembly, question = decided
    page = new_page(PHONE)
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    # when
    page.goto(decision_url(live_server, assembly.log, question))
    section = page.locator("[data-ayllu-proof-check]")
    section.and_(page.locator("[data-state]")).wait_for(timeout=WAIT_MS)
    # then
    assert section.get_attribute("data-state") == "ok"
    assert page.locator("[data-ayllu-proof-steps] li[data-holds=true]").count() == 3
    assert "La prueba se cumple" in page.locator("[data-ayllu-proof-status]").inner_text()
    assert problems == []


def test_a_changed_proof_entry_or_checkpoint_fails_in_the_browser(new_page, live_server, decided) -> None:
    # given
    assembly, question = decided
    page = new_page(PHONE)
    page.goto(decision_url(live_server, assembly.log, question))
    # when: the same module checks altered copies of the embedded proof
    results = page.evaluate(
        """async () => {
            const {checkProof} = await import("/static/web/js/proof.js");
            const data = JSON.parse(document.getElementById("ayllu-proof").textContent);
            const flip = (hex) => (hex[0] === "0" ? "1" : "0") + hex.slice(1);
            const cp = JSON.parse(data.checkpoint);
            const badPath = [flip(data.proof[0]), ...data.proof.slice(1)];
            const badRoot = JSON.stringify({...cp, root: flip(cp.root)});
            return {
                honest: (await checkProof(data)).steps,
                path: (await checkProof({...data, proof: badPath})).steps,
                entry: (await checkProof({...data, entry: data.entry.replace('"seq":', '"seq": ')})).steps,
                place: (await checkProof({...data, seq: data.seq - 1})).steps,
                root: (await checkProof({...data, checkpoint: badRoot})).steps,
            };
        }"""
    )
    # then
    assert results["honest"] == {"signature": True, "entry": True, "path": True}
    assert results["path"]["path"] is False
    assert results["entry"]["path"] is False
    assert results["place"]["entry"] is False
    assert results["root"]["signature"] is False


def test_proof_js_agrees_with_every_inclusion_vector(new_page, live_server, decided) -> None:
    # given
    assembly, question = decided
    merkle = json.loads(VECTORS.read_text())["merkle"]
    page = new_page(PHONE)
    page.goto(decision_url(live_server, assembly.log, question))
    # when
    verdicts = page.evaluate(
        """async ({merkle}) => {
            const {verifyInclusion} = await import("/static/web/js/proof.js");
            const out = [];
            for (const c of merkle.inclusion) {
                const entry = merkle.entry_hashes[c.index];
                out.push(await verifyInclusion(entry, c.index, c.size, c.proof, merkle.roots[c.size]));
                const other = (merkle.roots[c.size][0] === "0" ? "1" : "0") + merkle.roots[c.size].slice(1);
                out.push(!(await verifyInclusion(entry, c.index, c.size, c.proof, other)));
            }
            return out;
        }""",
        {"merkle": merkle},
    )
    # then
    assert verdicts and all(verdicts)


@pytest.mark.parametrize("which", ["record", "decisions", "decision", "invitations", "invitation"])
def test_the_new_pages_pass_axe_and_are_shot_at_phone_size(
    new_page, member_page, live_server, decided, which: str
) -> None:
    # given: a member logged in (for the invitations page), in a context that lets axe in
    assembly, question = decided
    if which in ("invitations", "invitation"):
        page = member_page(assembly.log, assembly.members[0], axe=which == "invitations")
    else:
        page = new_page(PHONE, axe=True)
    base = f"{live_server.url}/es/asamblea/{assembly.log}"
    urls = {
        "record": f"{base}/registro/",
        "decisions": f"{base}/registro/decisiones/",
        "decision": f"{base}/registro/decisiones/{question}/",
        "invitations": f"{base}/invitaciones/",
    }
    if which == "invitation":
        page.goto(urls["invitations"])
        page.get_by_role("button", name="Hacer un enlace de invitación").click()
        link = page.locator("[data-ayllu-invitation-link] [data-ayllu-share-url]").inner_text().strip()
        # the newcomer opens the link on a device of their own: no session, no key yet
        page = new_page(PHONE, axe=True)
        page.goto(link)
    else:
        page.goto(urls[which], wait_until="networkidle")
    page.wait_for_timeout(300)
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"record-tools-{which}-es-phone.png"), full_page=True)
    # then
    assert_accessible(page, which, PHONE)
