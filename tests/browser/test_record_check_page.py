"""The record page checks the whole record on the member's phone (static/web/js/record-check.js): it
fetches the node's checkpoint, entries and public bodies page by page from /fed/ and says, in Spanish or
English at 360 px, how far it got and what it found, without trusting the node.
"""

import os
from pathlib import Path

import pytest

from ayllu.actions.record import do_sign_checkpoint
from factories.stored import StoredAssembly

from .browsing import PHONE, assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

RECORD = {"es": "/es/asamblea/{log}/registro/", "en": "/en/assembly/{log}/record/"}
BUTTON = {"es": "Comprobar el registro", "en": "Check the record"}
OK = {"es": "El registro se sostiene", "en": "The record holds"}
NOT_REPLAYED = {
    "es": "cada fundador la respaldó. Las demás reglas de la asamblea no se volvieron a aplicar",
    "en": "every founder endorsed it. The assembly's other rules were not replayed",
}


def _check(page, language: str) -> str:
    page.get_by_role("button", name=BUTTON[language]).click()
    section = page.locator("[data-ayllu-record-check]")
    page.wait_for_function(
        "() => ['ok', 'bad'].includes(document.querySelector('[data-ayllu-record-check]').dataset.state)",
        timeout=30_000,
    )
    return str(section.get_attribute("data-state"))


@pytest.mark.parametrize("language", ["es", "en"])
def test_the_phone_checks_the_whole_record_and_says_so(
    new_page, live_server, demo: StoredAssembly, language: str
) -> None:
    # given
    page = new_page(PHONE, axe=True)
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(live_server.url + RECORD[language].format(log=demo.log), wait_until="networkidle")
    # when
    state = _check(page, language)
    # then
    status = page.locator("[data-ayllu-record-check-status]").inner_text()
    assert state == "ok", status
    assert OK[language] in status and NOT_REPLAYED[language] in status
    assert page.locator("[data-ayllu-record-check]").get_attribute("data-size") == str(demo.size)
    assert problems == []
    assert_accessible(page, RECORD[language], PHONE, targets="main button, main a:not(.skip-link)")
    shots = os.environ.get("AYLLU_SCREENSHOTS")
    if shots:
        section = page.locator("[data-ayllu-record-check]")
        section.screenshot(path=str(Path(shots) / f"record-check-{language}-phone.png"))


def _with_time_digit_flipped(lines: bytes, seq: int) -> bytes:
    """The entries' JSON Lines with one digit of entry `seq`'s time changed, nothing else."""
    out = []
    for line in lines.split(b"\n"):
        if f'"seq":{seq},'.encode() in line:
            at = line.index(b'"time":') + 8
            line = line[:at] + bytes([line[at] ^ 0x01]) + line[at + 1 :]
        out.append(line)
    return b"\n".join(out)


def test_the_phone_names_the_first_entry_a_hostile_node_altered(
    new_page, live_server, demo: StoredAssembly
) -> None:
    # given: a node that signed a checkpoint and then serves entry 3 with one digit of its time changed
    # (this node refuses to serve rows it knows are altered, storage/served.py, so the hostile node is
    # played in flight: the phone must find it without trusting whoever serves the bytes)
    do_sign_checkpoint(demo.log)
    page = new_page(PHONE)

    def altered(route) -> None:
        served = route.fetch()
        route.fulfill(response=served, body=_with_time_digit_flipped(served.body(), 3))

    page.route("**/fed/*/entries/**", altered)
    page.goto(live_server.url + RECORD["en"].format(log=demo.log), wait_until="networkidle")
    # when
    state = _check(page, "en")
    # then
    status = page.locator("[data-ayllu-record-check-status]").inner_text()
    assert state == "bad"
    assert "entry number 3" in status and "bad_node_signature" in status
    assert status.startswith("The signature of the node that recorded this entry does not match.")


def test_the_browser_reads_and_verifies_the_nodes_own_export_of_the_demo(
    new_page, live_server, demo: StoredAssembly
) -> None:
    # given: the file the record page's "Download the record" link gives
    do_sign_checkpoint(demo.log)
    page = new_page(PHONE)
    page.goto(live_server.url + RECORD["en"].format(log=demo.log), wait_until="networkidle")
    export = page.locator("a[download]").first.get_attribute("href")
    # when
    got = page.evaluate(
        """async (url) => {
            const v = await import("/static/web/js/record-verify.js");
            const record = await v.readExport(await (await fetch(url)).text());
            const verifier = new v.RecordVerifier(
                {log: record.log, visible: record.visible, checkpoints: record.checkpoints}
            );
            await verifier.start();
            await verifier.add(record.entries, (hash, vis) => record.bodies.get(`${hash}/${vis}`) ?? null);
            const r = await verifier.finish();
            return {ok: r.ok, size: r.size, problem: r.problem, checkpoints: record.checkpoints.length};
        }""",
        export,
    )
    # then
    assert got == {"ok": True, "size": demo.size, "problem": None, "checkpoints": got["checkpoints"]}
    assert got["checkpoints"] >= 1
