"""Take screenshots of the web app's pages at phone and desktop size, in Spanish and English.

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots]

Sets up a throwaway demo node (`ayllu demo-setup` in a temporary data directory), serves it with
`ayllu serve` on a free port, and drives Debian's Chromium through Playwright. Files are named
`<page>-<language>-<size>.png`. Last, it damages one entry of the demo record, re-verifies it and shoots
the failed-verification page too (`record-failed-*`), so the bad state gets looked at as often as the good.
Needs Chromium (scripts/install_system_deps.sh). Look at the pictures after running it.
"""

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AYLLU = [str(ROOT / ".venv" / "bin" / "ayllu")]
CHROMIUM = next(
    (p for p in ("/usr/lib/chromium/chromium", "/usr/bin/chromium") if os.access(p, os.X_OK)), None
)
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SIZES = {"phone": {"width": 360, "height": 640}, "desktop": {"width": 1280, "height": 800}}

# Flip one character of entry 2's author signature in the database, as a careless or hostile admin might.
DAMAGE = """
import django; django.setup()
from ayllu.storage import models
row = models.Entry.objects.filter(seq=2).order_by("pk").first()
header = bytes(row.header)
at = header.index(b'"asig":"') + len(b'"asig":"')
header = header[:at] + (b"0" if header[at:at + 1] != b"0" else b"1") + header[at + 1:]
models.Entry.objects.filter(pk=row.pk).update(header=header)
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_serving(url: str, server: subprocess.Popen[bytes]) -> None:
    for _ in range(150):
        if server.poll() is not None:
            raise SystemExit(f"`ayllu serve` exited with status {server.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"nothing answered at {url} after 30 s")


def record_log(env: dict[str, str]) -> str:
    code = (
        "import django; django.setup(); from ayllu.queries.record import list_records; "
        "print(list_records()[0].log)"
    )
    return subprocess.check_output([sys.executable, "-c", code], env=env, text=True).strip()


def shoot(base: str, pages: dict[str, str], out: Path, *, sizes: list[str]) -> list[Path]:
    from playwright.sync_api import sync_playwright

    taken = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        for size in sizes:
            context = browser.new_context(viewport=SIZES[size], device_scale_factor=1)
            page = context.new_page()
            for name, path in pages.items():
                page.goto(base + path, wait_until="networkidle")
                target = out / f"{name}-{size}.png"
                page.screenshot(path=str(target), full_page=True)
                taken.append(target)
                print(f"    {target.relative_to(ROOT)}")
            context.close()
        browser.close()
    return taken


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    if CHROMIUM is None:
        print("no Chromium: run scripts/install_system_deps.sh as root first", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="ayllu-screens-") as data:
        env = {**os.environ, "AYLLU_DATA_DIR": data, "DJANGO_SETTINGS_MODULE": "ayllu.settings.dev"}
        print("==> demo node in", data)
        subprocess.run([*AYLLU, "demo-setup"], env=env, check=True, stdout=subprocess.DEVNULL)
        log = record_log(env)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [*AYLLU, "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_until_serving(base + "/es/", server)
            print("==> screenshots")
            pages = {
                "home-es": "/es/",
                "home-en": "/en/",
                "record-es": f"/es/asamblea/{log}/registro/",
                "record-en": f"/en/assembly/{log}/record/",
            }
            shoot(base, pages, args.out, sizes=["phone", "desktop"])
            print("==> damaging entry 2 and verifying again")
            subprocess.run([sys.executable, "-c", DAMAGE], env=env, check=True)
            subprocess.run([*AYLLU, "verify", log], env=env, stdout=subprocess.DEVNULL)
            failed = {
                "record-failed-es": f"/es/asamblea/{log}/registro/",
                "record-failed-en": f"/en/assembly/{log}/record/",
            }
            shoot(base, failed, args.out, sizes=["phone"])
        finally:
            server.terminate()
            server.wait(timeout=10)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
