"""Driving Chromium against a node: shared by the browser tests (through the fixtures of conftest.py)
and by scripts/screenshots.py, which imports this module directly.

One way to find and launch Debian's Chromium, to open a page in a browser context of its own, to put a
member's key on that device and log in with it, and to check a page's accessibility.
"""

import os
import shutil
from pathlib import Path
from typing import Any

CHROMIUM_CANDIDATES = ("/usr/lib/chromium/chromium", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
PHONE = {"width": 360, "height": 640}
DESKTOP = {"width": 1280, "height": 800}
TARGETS = "main a, main button, main select, main input:not([type=hidden])"

# The login page of an assembly and its button, per language.
LOGIN = {
    "es": ("/es/asamblea/{log}/entrar/", "Entrar con este dispositivo"),
    "en": ("/en/assembly/{log}/login/", "Log in with this device"),
}
# An Ed25519 private key in PKCS#8 is this prefix followed by the 32-byte seed.
PKCS8_PREFIX = "302e020100300506032b657004220420"
# Stores a key in the browser's device key store as non-extractable, as a founding ceremony would.
PUT_KEY = """async ({log, pkcs8, publicHex}) => {
    const bytes = (hex) => Uint8Array.from(hex.match(/../g), (b) => parseInt(b, 16));
    const ed = {name: "Ed25519"};
    const privateKey = await crypto.subtle.importKey("pkcs8", bytes(pkcs8), ed, false, ["sign"]);
    const publicKey = await crypto.subtle.importKey("raw", bytes(publicHex), ed, true, ["verify"]);
    const db = await new Promise((resolve, reject) => {
        const opening = indexedDB.open("ayllu-device-keys", 1);
        opening.onupgradeneeded = () => opening.result.createObjectStore("keys", {keyPath: "log"});
        opening.onsuccess = () => resolve(opening.result);
        opening.onerror = () => reject(opening.error);
    });
    await new Promise((resolve, reject) => {
        const tx = db.transaction("keys", "readwrite");
        tx.objectStore("keys").add({log, publicHex, created: Date.now(), keys: {privateKey, publicKey}});
        tx.oncomplete = resolve;
        tx.onerror = () => reject(tx.error);
    });
    db.close();
}"""


def chromium_path() -> str | None:
    """The system Chromium's binary (AYLLU_CHROMIUM overrides), or None when there is none."""
    candidates = [os.environ.get("AYLLU_CHROMIUM", ""), *CHROMIUM_CANDIDATES, shutil.which("chromium") or ""]
    return next((c for c in candidates if c and os.access(c, os.X_OK)), None)


def launch_chromium(playwright: Any, executable: str) -> Any:
    """Debian's Chromium, headless, driven by Playwright (Playwright's own download is not used)."""
    return playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)


def open_page(browser: Any, viewport: dict[str, int], *, axe: bool = False, **options: Any) -> Any:
    """A page in a browser context of its own (its own cookies and key store).

    `axe=True` lets the test inject axe-core past the node's Content-Security-Policy; nothing else does.
    """
    return browser.new_context(viewport=viewport, bypass_csp=axe, **options).new_page()


def put_key_on_device(page: Any, log: str, *, seed: str, public: str) -> None:
    """Keep a member's key (hex seed and public key) in this device's key store for `log`.

    The page must already be on the node: the key store belongs to the node's origin.
    """
    page.evaluate(PUT_KEY, {"log": log, "pkcs8": PKCS8_PREFIX + seed, "publicHex": public})


def log_in(page: Any, server: str, log: str, *, language: str = "es") -> None:
    """Log in to `log` with the key this device already holds: the login page, its button, the redirect."""
    path, button = LOGIN[language]
    page.goto(server + path.format(log=log))
    with page.expect_navigation():
        page.get_by_role("button", name=button).click()


def log_in_as(page: Any, server: str, log: str, *, seed: str, public: str, language: str = "es") -> None:
    """Put a member's key on this device, then log in with it."""
    path, _ = LOGIN[language]
    page.goto(server + path.format(log=log))
    put_key_on_device(page, log, seed=seed, public=public)
    log_in(page, server, log, language=language)


def assert_accessible(
    page: Any, path: str, viewport: dict[str, int], *, targets: str = TARGETS, skip_checkboxes: bool = False
) -> None:
    """Open every <details>, then: no serious or critical axe violation, no sideways scroll, 44 px targets.

    The page's context must have been opened with `axe=True` (axe-core is injected by the test).
    """
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    serious = [
        (v["id"], [n["target"] for n in v["nodes"]][:3])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == [], f"{path}: {serious}"
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], path
    small = page.eval_on_selector_all(
        targets,
        "els => els.filter(e => e.offsetParent).map(e => [e.outerHTML.slice(0, 80), "
        "e.getBoundingClientRect().height])",
    )
    too_small = [(html, h) for html, h in small if h < 44 and not (skip_checkboxes and "checkbox" in html)]
    assert too_small == [], f"{path}: targets under 44 px: {too_small}"
