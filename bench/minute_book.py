"""Benchmark of issue 15's minute book: a three-hour meeting with 300 present and many decisions, its PDF
against its HTML minutes page, in the same run.

    .venv/bin/python bench/minute_book.py [--present 300] [--decisions 30] [--runs 7] [--rtl 0]

Builds, through the real write path on SQLite in a fresh data directory, an assembly of `present`
households that meets: everyone signs in, an agenda, a speakers' queue, `decisions` proposals each
decided by consent by everyone present (one in three with an objection answered and withdrawn), points
of order with rulings and the minute-keeper's notes, over three hours of entry times. Then, with the
replayed state warm, it times the minutes page (Django's test client, the whole request) and the minute
book of that meeting (`make_minute_book`, QR codes made afresh; again with the QR codes an earlier book
made in the process; and with QR codes and fonts read afresh, as the first book of a process), and the
same book asked for again at the same head (`get_minute_book`, kept in
Django's cache), and prints the medians and their ratios. Not a test: nothing here asserts a time.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
HOUR_MS = 3_600_000


# Households named in Arabic and Hebrew script (`--rtl`): their lines are shaped (HarfBuzz) and laid out
# right to left, in the fonts that carry those scripts.
RTL_NAMES = ("عائلة الحسيني", "משפחת לוי", "بيت أبو خليل", "משפחת כהן-אברהם")


def build(present: int, decisions: int, rtl: int = 0) -> tuple[str, int]:
    """The assembly and its meeting, the first `rtl` households named in Arabic or Hebrew script;
    returns (log, meeting id)."""
    from django.core.management import call_command

    from ayllu.actions.record import do_append_many, do_found_assembly
    from ayllu.storage import clock
    from factories.charters import no_wait_charter
    from factories.keys import keypair
    from factories.records import founding_act, signed
    from factories.stored import UNTIL, StoredAssembly, act

    call_command("migrate", verbosity=0)
    members = tuple(keypair(f"vecino-{i}") for i in range(present))
    chair, keeper = members[0], members[1]
    officers = [("convenor", chair.public, UNTIL), ("minute_keeper", keeper.public, UNTIL)]
    names = [f"{RTL_NAMES[i % 4]} {i}" if i < rtl else f"casa-{i + 1}" for i in range(present)]
    name = "Junta Vecinal Villa Esperanza"
    founding, body = founding_act(
        list(zip(members, names, strict=True)), name=name, charter=no_wait_charter(), cargos=officers
    )
    do_found_assembly(signed_act=founding, body=body)
    assembly = StoredAssembly(founding.act.log, name, members, size=1)
    log = assembly.log
    start = clock.now_ms()
    # The meeting lasts three hours: each act's time moves on from its start.
    step = 3 * HOUR_MS // (present * (decisions + 2) + 50 * decisions)
    now = [start]

    def tick() -> int:
        now[0] += step
        return now[0]

    original = clock.now_ms
    clock.now_ms = lambda: tick()  # type: ignore[assignment]
    try:
        meeting = act(
            assembly, chair, "meeting.convened", {"title": "Asamblea general de diciembre", "starts": start}
        )

        def batch(items: list[tuple[Any, str, dict[str, Any]]]) -> None:
            do_append_many(log, items=[signed(who, log=log, type=t, content=c) for who, t, c in items])

        batch([(m, "presence.signed", {"meeting": meeting}) for m in members])
        for n in range(8):
            title = (
                f"Punto {n + 1}: informe de la comisión de {('agua', 'obras', 'fiestas', 'seguridad')[n % 4]}"
            )
            act(
                assembly,
                chair,
                "agenda.item_added",
                {"meeting": meeting, "kind": "discussion", "title": title},
            )
        for n in range(decisions):
            author = members[2 + n % (present - 2)]
            proposal = act(
                assembly,
                author,
                "proposal.tabled",
                {
                    "matter": "ordinary",
                    "title": f"Propuesta {n + 1}: arreglo de la calle {n + 1} con aporte de cada familia",
                    "text": "Que cada familia aporte 20 Bs. y un día de trabajo comunal (minka) este mes.",
                    "effect": {},
                    "meeting": meeting,
                },
            )
            speakers = members[5 + n : 9 + n]
            for s in speakers:  # one at a time: the floor goes in the queue's own order
                act(assembly, s, "speaker.queued", {"meeting": meeting})
                act(assembly, chair, "speaker.called", {"meeting": meeting, "member": s.public})
            question = act(assembly, chair, "question.opened", {"proposal": proposal})
            if n % 3 == 0:
                objector = members[-1 - n % 10]
                reason = "¿Y las familias que no pueden pagar? Pedimos una exención."
                objection = act(
                    assembly, objector, "objection.raised", {"proposal": proposal, "reason": reason}
                )
                answer = "Quien no pueda pagar aporta dos días de trabajo."
                act(
                    assembly,
                    author,
                    "objection.answered",
                    {"proposal": proposal, "objection": objection, "answer": answer},
                )
                act(assembly, objector, "objection.withdrawn", {"proposal": proposal, "objection": objection})
            batch([(m, "vote.cast", {"question": question, "choice": "consent"}) for m in members])
            act(assembly, chair, "question.closed", {"question": question})
            if n % 3 == 1:
                point = act(
                    assembly,
                    members[10 + n],
                    "point_of_order.raised",
                    {"meeting": meeting, "text": "Se está hablando fuera del tema."},
                )
                act(
                    assembly,
                    chair,
                    "point_of_order.ruled",
                    {"meeting": meeting, "point": point, "ruling": "Se vuelve al tema."},
                )
            note = f"Se aprobó la propuesta {n + 1}; la comisión informa en la próxima reunión."
            act(assembly, keeper, "minutes.note_added", {"meeting": meeting, "text": note})
        act(assembly, chair, "meeting.closed", {"meeting": meeting})
    finally:
        clock.now_ms = original  # type: ignore[assignment]
    return log, meeting


def _median_ms(seconds: list[float]) -> float:
    return statistics.median(seconds) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--present", type=int, default=300)
    parser.add_argument("--decisions", type=int, default=30)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--rtl", type=int, default=0, help="households named in Arabic or Hebrew script")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ayllu-bench-book-") as data:
        os.environ["AYLLU_DATA_DIR"] = data
        os.environ["DJANGO_SETTINGS_MODULE"] = "ayllu.settings.dev"
        os.environ.pop("AYLLU_DATABASE_URL", None)
        sys.path.insert(0, str(ROOT / "tests"))
        import django

        django.setup()
        from django.test import Client
        from django.urls import reverse
        from django.utils import translation

        from ayllu.minute_book import get_minute_book, layout, make_minute_book
        from ayllu.storage import models

        started = time.perf_counter()
        log, meeting = build(args.present, args.decisions, args.rtl)
        size = models.Record.objects.get(log=log).head_seq
        print(f"record of {size} entries built in {time.perf_counter() - started:.0f} s")
        with translation.override("es"):
            page = reverse("web:minutes", kwargs={"log": log, "meeting_id": meeting})
        client = Client(HTTP_HOST="127.0.0.1")
        address = "http://127.0.0.1"

        def html() -> tuple[float, int, float]:
            t, c = time.perf_counter(), time.process_time()
            response = client.get(page)
            assert response.status_code == 200, response.status_code
            return time.perf_counter() - t, len(response.content), time.process_time() - c

        def pdf(*, fresh_qr: bool = True, fresh_fonts: bool = False) -> tuple[float, int, float]:
            if fresh_qr:  # every QR code made afresh, as for a book never made in this process
                layout._qr_image.cache_clear()
            if fresh_fonts:  # the fonts read from their files for this book alone (fpdf2's add_font)
                layout._parsed_font.cache_clear()
            t, c = time.perf_counter(), time.process_time()
            made = make_minute_book(log, language="es", members=False, address=address, meeting=meeting)
            return time.perf_counter() - t, len(made), time.process_time() - c

        first_html, first_pdf = html()[0], pdf()[0]
        pages, books, again, unread = [], [], [], []
        for _ in range(args.runs):  # interleaved, so all four see the same machine
            pages.append(html())
            books.append(pdf())
            again.append(pdf(fresh_qr=False))
            unread.append(pdf(fresh_fonts=True))
        get_minute_book(log, language="es", members=False, address=address, meeting=meeting)
        kept = []
        for _ in range(args.runs):
            t = time.perf_counter()
            get_minute_book(log, language="es", members=False, address=address, meeting=meeting)
            kept.append(time.perf_counter() - t)
        page_ms = _median_ms([t for t, _, _ in pages])
        book_ms = _median_ms([t for t, _, _ in books])
        again_ms = _median_ms([t for t, _, _ in again])
        unread_ms = _median_ms([t for t, _, _ in unread])
        # The process's own CPU time as well: on a machine shared with other jobs, wall time moves by a
        # third from run to run; CPU time much less (each step runs in this one thread).
        cpu = {
            name: _median_ms([c for _, _, c in runs])
            for name, runs in (("page", pages), ("book", books), ("again", again), ("unread", unread))
        }
        print(
            f"first request: minutes page {first_html * 1000:.0f} ms, minute book {first_pdf * 1000:.0f} ms"
        )
        print(f"minutes page (HTML, {pages[0][1] // 1024} KiB): {page_ms:8.1f} ms (median of {args.runs})")
        print(f"minute book  (PDF,  {books[0][1] // 1024} KiB): {book_ms:8.1f} ms (median of {args.runs})")
        print(f"minute book, QR codes kept from an earlier book: {again_ms:8.1f} ms (median of {args.runs})")
        print(
            f"minute book, fonts read for this book alone (the first book of a process): {unread_ms:8.1f} ms "
            f"({unread_ms / page_ms:.2f}x)"
        )
        print(f"the same book again at the same head (kept in Django's cache): {_median_ms(kept):8.2f} ms")
        print(
            f"ratio PDF / HTML: {book_ms / page_ms:.2f}x, "
            f"{again_ms / page_ms:.2f}x with QR codes kept (target under 2x)"
        )
        print(
            f"CPU time: page {cpu['page']:.1f} ms, "
            f"book {cpu['book']:.1f} ms ({cpu['book'] / cpu['page']:.2f}x), "
            f"QR codes kept {cpu['again']:.1f} ms ({cpu['again'] / cpu['page']:.2f}x), fonts read too "
            f"{cpu['unread']:.1f} ms ({cpu['unread'] / cpu['page']:.2f}x)"
        )


if __name__ == "__main__":
    main()
