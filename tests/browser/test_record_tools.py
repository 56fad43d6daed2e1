"""Checking one decision in a real browser: proof.js verifies the embedded proof with WebCrypto only,
refuses a changed one, agrees with the record's test vectors; the new pages pass axe at phone size."""

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ayllu.actions.record import forget_replayed_state
from web.assembly_builders import (
    Assembly,
    consent_decided_with_answered_objection,
    found,
    meeting_with_everyone,
)
from web.device_builders import log_in_as

from .conftest import AXE, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

VECTORS = Path(__file__).resolve().parents[2] / "docs" / "record-vectors.json"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
WAIT_MS = 15_000


@pytest.fixture
def decided(transactional_db: None) -> Iterator[tuple[Assembly, int]]:
    forget_replayed_state()
    assembly = found("Junta Vecinal Villa Esperanza")
    ids = consent_decided_with_answered_objection(assembly, meeting_with_everyone(assembly))
    yield assembly, ids["question"]
    forget_replayed_state()


def decision_url(live_server: Any, log: str, question: int) -> str:
    return f"{live_server.url}/es/asamblea/{log}/registro/decisiones/{question}/"


def test_the_browser_checks_the_decisions_proof_by_itself(browser, live_server, decided) -> None:
    # given
    assembly, question = decided
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
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
    context.close()


def test_a_changed_proof_entry_or_checkpoint_fails_in_the_browser(browser, live_server, decided) -> None:
    # given
    assembly, question = decided
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
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
    context.close()


def test_proof_js_agrees_with_every_inclusion_vector(browser, live_server, decided) -> None:
    # given
    assembly, question = decided
    merkle = json.loads(VECTORS.read_text())["merkle"]
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
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
    context.close()


@pytest.mark.parametrize("which", ["record", "decisions", "decision", "invitations", "invitation"])
def test_the_new_pages_pass_axe_and_are_shot_at_phone_size(browser, live_server, decided, which: str) -> None:
    # given: a member logged in (for the invitations page), in a context that lets axe in
    assembly, question = decided
    context = browser.new_context(viewport=PHONE, bypass_csp=True)
    page = context.new_page()
    base = f"{live_server.url}/es/asamblea/{assembly.log}"
    if which in ("invitations", "invitation"):
        from django.test import Client

        client = Client()
        log_in_as(client, assembly.log, assembly.members[0])
        for name, value in client.cookies.items():
            context.add_cookies([{"name": name, "value": value.value, "url": live_server.url}])
    urls = {
        "record": f"{base}/registro/",
        "decisions": f"{base}/registro/decisiones/",
        "decision": f"{base}/registro/decisiones/{question}/",
        "invitations": f"{base}/invitaciones/",
    }
    if which == "invitation":
        page.goto(urls["invitations"])
        page.get_by_role("button", name="Hacer un enlace de invitación").click()
        link = page.locator("[data-ayllu-invitation-link]").inner_text().strip()
        context.clear_cookies()
        page.goto(link)
    else:
        page.goto(urls[which], wait_until="networkidle")
    page.wait_for_timeout(300)
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"record-tools-{which}-es-phone.png"), full_page=True)
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    page.add_script_tag(path=str(AXE))
    # when
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    # then
    serious = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    context.close()
