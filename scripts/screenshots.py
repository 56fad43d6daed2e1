"""Take screenshots of the web app's pages at phone and desktop size, in Spanish and English.

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots]

Sets up a throwaway demo node (`ayllu demo-setup` in a temporary data directory), serves it with
`ayllu serve` on a free port, and drives Debian's Chromium through Playwright. Files are named
`<page>-<language>-<size>.png`. Last, it damages one entry of the demo record, re-verifies it and shoots
the failed-verification page too (`record-failed-*`), so the bad state gets looked at as often as the good.
Needs Chromium (scripts/install_system_deps.sh). Look at the pictures after running it.
"""

import argparse
import json
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
# Chromium, browser contexts and logging in with a device key: the same helpers as the browser tests.
sys.path.insert(0, str(ROOT / "tests"))
from browser.browsing import (  # noqa: E402
    DESKTOP,
    PHONE,
    chromium_path,
    launch_chromium,
    log_in_as,
    open_page,
)

CHROMIUM = chromium_path()
SIZES = {"phone": PHONE, "desktop": DESKTOP}

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


# A second assembly for the members' pages: founded by the demo's six members with a charter that needs
# no discussion time (so a meeting can decide at once), two meetings, a consent decision with an
# objection answered, a question under way with an objection waiting, and a ranked choice between
# meetings. Prints the record id, then ana's seed and public key (she convenes and chairs), for the
# browser to log in with.
SCENE = """
import sys, time, json
from pathlib import Path
import django; django.setup()
from ayllu.actions.record import do_append, do_found_assembly
from ayllu.cli.demo_story import PEOPLE
from ayllu.core.charter.rules import default_charter_data
from ayllu.core.charter.founding import FOUNDED, build_founding_body, build_founding_content, endorse_founding
from ayllu.core.ledger.record import log_id_for, make_body, sign_act
from ayllu.storage.keyfiles import load_or_create_key_file
data = Path(sys.argv[1])
m = {n: load_or_create_key_file(data / "demo-members" / f"{n}.key")
     for n in ("ana", "bruno", "carmen", "dario", "elena", "fabiola")}
now = time.time_ns() // 1_000_000
charter = default_charter_data()
charter["deliberation"] = {"async_ms": 0, "meeting_ms": 0, "voting_ms": 60_000}
content = build_founding_content(
    "Cooperativa de Agua Senkata", founded_at=now, charter=charter,
    founders=[(m[n].public, PEOPLE[n]) for n in m],
    cargos=[("convenor", m["ana"].public, now + 90 * 86_400_000),
            ("minute_keeper", m["bruno"].public, now + 90 * 86_400_000)])
body = build_founding_body(content, [endorse_founding(k, content) for k in m.values()])
log = log_id_for(body)
founding = sign_act(m["ana"], log=log, type=FOUNDED, body=body, nonce="founding")
do_found_assembly(signed_act=founding, body=body)
count = iter(range(10**6))
def act(who, type, content):
    b = make_body(content, vis="public")
    signed = sign_act(m[who], log=log, type=type, body=b, nonce=f"s{next(count)}")
    return do_append(log, signed_act=signed, body=b).seq
march = act("ana", "meeting.convened", {"title": "Asamblea ordinaria de marzo", "starts": now})
for n in m: act(n, "presence.signed", {"meeting": march})
act("dario", "speaker.queued", {"meeting": march})
act("ana", "speaker.called", {"meeting": march, "member": m["dario"].public})
cancha = act("bruno", "proposal.tabled", {"matter": "ordinary", "title": "Arreglar la cancha", "effect": {},
    "meeting": march, "text": "Comprar arena y cemento. Cada familia pone un día de trabajo en la minka."})
q = act("ana", "question.opened", {"proposal": cancha})
o = act("carmen", "objection.raised",
    {"proposal": cancha, "reason": "No se dice cuánto cuesta ni de dónde sale."})
act("bruno", "objection.answered", {"proposal": cancha, "objection": o,
    "answer": "Son 300 Bs.; salen de la caja de la junta, que tiene 1.200 Bs."})
act("carmen", "objection.withdrawn", {"proposal": cancha, "objection": o})
for n in ("ana", "bruno", "dario", "elena", "fabiola"):
    act(n, "vote.cast", {"question": q, "choice": "consent"})
act("ana", "question.closed", {"question": q})
act("bruno", "minutes.note_added", {"meeting": march, "text": "La minka será el domingo 12 a las 8:00."})
act("ana", "meeting.closed", {"meeting": march})
april = act("ana", "meeting.convened", {"title": "Asamblea ordinaria de abril", "starts": now})
for n in ("ana", "bruno", "carmen", "dario"): act(n, "presence.signed", {"meeting": april})
act("carmen", "speaker.queued", {"meeting": april})
act("dario", "speaker.queued", {"meeting": april})
act("ana", "speaker.called", {"meeting": april, "member": m["carmen"].public})
act("carmen", "speaker.queued", {"meeting": april})
p = act("dario", "point_of_order.raised", {"meeting": april, "text": "Se está hablando fuera de turno."})
act("ana", "point_of_order.ruled",
    {"meeting": april, "point": p, "ruling": "Se respeta la lista de oradores."})
tanque = act("dario", "proposal.tabled", {"matter": "ordinary", "title": "Cuota para el tanque de agua",
    "effect": {}, "meeting": april,
    "text": "Diez bolivianos por familia, una sola vez, para reparar el tanque."})
act("carmen", "comment.posted", {"proposal": tanque, "text": "Hay que ver cuánto cobra el plomero antes."})
act("elena", "proposal.amended", {"proposal": tanque, "title": "Cuota mensual para el tanque de agua",
    "text": "Cinco bolivianos al mes por familia, durante tres meses."})
qt = act("ana", "question.opened", {"proposal": tanque})
act("bruno", "vote.cast", {"question": qt, "choice": "consent"})
act("carmen", "objection.raised", {"proposal": tanque, "reason": "¿Y las familias que no pueden pagar?"})
minka = act("elena", "proposal.tabled", {"matter": "choice", "title": "Día de la minka de mayo", "effect": {},
    "text": "Elegimos el día para limpiar el canal.", "options": ["sábado 9", "domingo 10", "sábado 16"]})
qm = act("elena", "question.opened", {"proposal": minka, "deadline": now + 7 * 86_400_000})
act("bruno", "vote.cast", {"question": qm, "choice": ["domingo 10", "sábado 9"]})
act("carmen", "vote.cast", {"question": qm, "choice": ["sábado 16", "domingo 10", "sábado 9"]})
print(json.dumps({"log": log, "seed": m["ana"].seed().hex(), "public": m["ana"].public,
    "march": march, "april": april, "cancha": cancha, "tanque": tanque, "minka": minka}))
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


def shoot(
    base: str, pages: dict[str, str], out: Path, *, sizes: list[str], scene: dict[str, object] | None = None
) -> list[Path]:
    """Shoot every page at every size; with a `scene`, logged in as its chair (her key on the device)."""
    from playwright.sync_api import sync_playwright

    assert CHROMIUM is not None
    taken = []
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright, CHROMIUM)
        for size in sizes:
            page = open_page(browser, SIZES[size], device_scale_factor=1)
            if scene is not None:
                log = str(scene["log"])
                log_in_as(page, base, log, seed=str(scene["seed"]), public=str(scene["public"]))
            for name, path in pages.items():
                page.goto(base + path, wait_until="networkidle")
                target = out / f"{name}-{size}.png"
                page.screenshot(path=str(target), full_page=True)
                taken.append(target)
                print(f"    {target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}")
            page.context.close()
        browser.close()
    return taken


def assembly_pages(scene: dict[str, object]) -> dict[str, dict[str, str]]:
    """The members' pages of the scene, per language: name -> path."""
    log = scene["log"]
    es, en = f"/es/asamblea/{log}", f"/en/assembly/{log}"
    return {
        "es": {
            "assembly-home-es": f"{es}/",
            "charter-es": f"{es}/estatuto/",
            "members-es": f"{es}/miembros/",
            "meetings-es": f"{es}/reuniones/",
            "meeting-live-es": f"{es}/reuniones/{scene['april']}/",
            "minutes-es": f"{es}/reuniones/{scene['march']}/acta/",
            "proposal-decided-es": f"{es}/propuestas/{scene['cancha']}/",
            "proposal-consent-es": f"{es}/propuestas/{scene['tanque']}/",
            "proposal-ranked-es": f"{es}/propuestas/{scene['minka']}/",
            "proposal-new-es": f"{es}/propuestas/nueva/?reunion={scene['april']}",
        },
        "en": {
            "assembly-home-en": f"{en}/",
            "charter-en": f"{en}/charter/",
            "members-en": f"{en}/members/",
            "meetings-en": f"{en}/meetings/",
            "meeting-live-en": f"{en}/meetings/{scene['april']}/",
            "minutes-en": f"{en}/meetings/{scene['march']}/minutes/",
            "proposal-decided-en": f"{en}/proposals/{scene['cancha']}/",
            "proposal-consent-en": f"{en}/proposals/{scene['tanque']}/",
            "proposal-ranked-en": f"{en}/proposals/{scene['minka']}/",
            "proposal-new-en": f"{en}/proposals/new/",
        },
    }


def shoot_cargo_pages(out: Path) -> None:
    """The cargo pages need a record whose clock moves (terms end, reports fall due, draws complete): their
    browser test builds one on a test clock and, given AYLLU_SCREENSHOTS, shoots them (cargo-*.png)."""
    test = "tests/browser/test_cargo_flow.py::test_cargo_pages_have_no_serious_accessibility_problem"
    env = {**os.environ, "AYLLU_SCREENSHOTS": str(out.resolve())}
    pytest = str(ROOT / ".venv" / "bin" / "pytest")
    subprocess.run([pytest, test, "-q", "-p", "no:cacheprovider"], env=env, check=True)


def shoot_draw_pages(out: Path) -> None:
    """A draw by lot at every step (committing, committed, a lost secret, revealing, revealed, completed):
    its browser test runs one with members committing and revealing on their devices and, given
    AYLLU_SCREENSHOTS, shoots the draw page at phone and desktop size (draw-*.png)."""
    test = "tests/browser/test_draw_flow.py"
    env = {**os.environ, "AYLLU_SCREENSHOTS": str(out.resolve())}
    pytest = str(ROOT / ".venv" / "bin" / "pytest")
    subprocess.run([pytest, test, "-q", "-p", "no:cacheprovider"], env=env, check=True)


def shoot_node_pages(out: Path) -> None:
    """The pages about other nodes need a mirrored, witnessed, moved record with evidence caught: their
    browser test builds one with the federation actions and, given AYLLU_SCREENSHOTS, shoots them."""
    test = "tests/browser/test_federation_pages.py"
    env = {**os.environ, "AYLLU_SCREENSHOTS": str(out.resolve())}
    pytest = str(ROOT / ".venv" / "bin" / "pytest")
    subprocess.run([pytest, test, "-q", "-p", "no:cacheprovider"], env=env, check=True)


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
            print("==> the members' pages of a second assembly, logged in as its chair")
            made = subprocess.check_output([sys.executable, "-c", SCENE, data], env=env, text=True)
            scene = json.loads(made.strip().splitlines()[-1])
            members = assembly_pages(scene)
            shoot(base, members["es"], args.out, sizes=["phone"], scene=scene)
            shoot(base, members["en"], args.out, sizes=["desktop"], scene=scene)
            both = ("assembly-home", "meeting-live", "proposal-consent")
            shoot(
                base,
                {k: v for k, v in members["es"].items() if k[:-3] in both},
                args.out,
                sizes=["desktop"],
                scene=scene,
            )
            shoot(
                base,
                {k: v for k, v in members["en"].items() if k[:-3] in both},
                args.out,
                sizes=["phone"],
                scene=scene,
            )
            print("==> the cargo pages (cargos, mandates, recall, draws, concentration), by their test")
            shoot_cargo_pages(args.out)
            print("==> a draw by lot, commit and reveal on members' devices, by its test")
            shoot_draw_pages(args.out)
            print("==> the pages about other nodes (mirrors, witnessing, evidence, following), by their test")
            shoot_node_pages(args.out)
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
