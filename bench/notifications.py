"""Benchmark of issue 15: the reminders of one meeting reaching 10,000 members.

    .venv/bin/python bench/notifications.py [--members 10000]

An assembly of N members in N households is founded in one entry (every founder endorsing), a meeting is
convened, and every member asks for e-mail (half in Spanish, half in English; four UTC offsets). Then, on
SQLite in WAL mode with synchronous=FULL in a fresh data directory, one process (one core):

1. enqueue: `delivery.enqueue_due` (the reachable members read, the assembly's reminders for all of them
   read once, one outbox row per member inserted or ignored), in rows/s;
2. render: the message of each member's reminder in their language and offset, per member
   (`render_message`) and through the cache of rendered messages delivery uses (`render_cached`: once per
   (language, offset, reminder), reused), in messages/s;
3. send: `delivery.send_due` over Django's in-memory mail backend (locmem), claims and marks included,
   in messages/s;
against a bare render of the same two templates with a fixed context (`render_to_string`), measured in
the same run, as the ratio to compare across machines.
"""

import argparse
import os
import statistics
import tempfile
import time
from typing import Any

T0 = 1_764_000_000_000
HOUR_MS = 3600 * 1000


def keys(count: int) -> list[Any]:
    from ayllu.core.ledger.keys import Keypair

    return [Keypair.from_seed(i.to_bytes(4, "big") * 8) for i in range(1, count + 1)]


def build(count: int, now: int) -> tuple[str, list[str]]:
    from django.core.management import call_command

    from ayllu.actions.catalogue import ACT_KINDS, sign_kind
    from ayllu.actions.record import do_append_many, do_found_assembly
    from ayllu.core.charter.founding import found_assembly
    from ayllu.core.charter.rules import default_charter_data
    from ayllu.queries.pages import get_member_id
    from ayllu.storage import models

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    members = keys(count)
    node = keys(count + 1)[-1]
    charter = default_charter_data()
    charter["admission"] = {"by": "sponsorship", "sponsors": 1}
    entry, body = found_assembly(
        [(members[0], "casa-0")],
        name="Junta Vecinal Diez Mil",
        founded_at=T0,
        charter=charter,
        node=node,
        cargos=[("convenor", members[0].public, T0 + 400 * 24 * HOUR_MS)],
    )
    do_found_assembly(signed_act=entry.signed_act(), body=body)
    apply, sponsor = ACT_KINDS["apply"], ACT_KINDS["sponsor"]
    for start in range(1, count, 500):
        batch = []
        for i in range(start, min(start + 500, count)):
            batch.append(
                sign_kind(members[i], entry.log, kind=apply, values={"household": f"casa-{i}"}, nonce=f"a{i}")
            )
            values = {"applicant": members[i].public}
            batch.append(sign_kind(members[0], entry.log, kind=sponsor, values=values, nonce=f"s{i}"))
        do_append_many(entry.log, items=batch)
    convene = sign_kind(
        members[0],
        entry.log,
        kind=ACT_KINDS["convene"],
        values={"title": "Asamblea de diciembre", "starts": now + 3 * 24 * HOUR_MS},
        nonce="c1",
    )
    do_append_many(entry.log, items=[convene])
    ids = [get_member_id(entry.log, key=m.public) for m in members]
    record = models.Record.objects.get(log=entry.log)
    models.NotificationSettings.objects.bulk_create(
        models.NotificationSettings(
            record=record,
            member=member,
            email=f"vecino{i}@example.org",
            language=("es", "en")[i % 2],
            utc_offset=(-240, -300, -180, 0)[i % 4],
        )
        for i, member in enumerate(ids)
    )
    print(
        f"built an assembly of {count} members, a meeting convened, in {time.perf_counter() - started:.0f}s"
    )
    return entry.log, ids


def rate(count: int, seconds: float) -> str:
    return f"{count / seconds:9,.0f}/s  ({seconds * 1000 / count:.3f} ms each)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=10_000)
    args = parser.parse_args()
    data = tempfile.mkdtemp(prefix="ayllu-bench-notify-")
    os.environ["AYLLU_DATA_DIR"] = data
    os.environ["DJANGO_SETTINGS_MODULE"] = "ayllu.settings.dev"
    os.environ.pop("AYLLU_DATABASE_URL", None)
    import django

    django.setup()
    from django.conf import settings
    from django.template.loader import render_to_string

    from ayllu.notify import messages
    from ayllu.notify.channels import EmailChannel
    from ayllu.notify.delivery import enqueue_due, send_due
    from ayllu.queries.notifications import get_assembly_name, list_member_reminders

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    now = int(time.time() * 1000)
    print(f"SQLite (WAL, synchronous=FULL) in {data}; one process, one core")
    log, ids = build(args.members, now)

    started = time.perf_counter()
    queued = enqueue_due(now=now, channels=[EmailChannel()])
    took = time.perf_counter() - started
    assert queued == args.members, queued
    print(f"enqueue   {queued} rows             {rate(queued, took)}")

    assembly = get_assembly_name(log)
    reminder = list_member_reminders(log, member=ids[0], now=now)
    jobs = [(("es", "en")[i % 2], (-240, -300, -180, 0)[i % 4]) for i in range(args.members)]
    started = time.perf_counter()
    for language, offset in jobs:
        messages.render_message(reminder, log=log, assembly=assembly, language=language, utc_offset=offset)
    per_member = time.perf_counter() - started
    print(f"render    per member              {rate(len(jobs), per_member)}")
    messages._rendered.cache_clear()
    started = time.perf_counter()
    for language, offset in jobs:
        messages.render_cached(
            tuple(reminder), log=log, assembly=assembly, language=language, utc_offset=offset
        )
    cached = time.perf_counter() - started
    print(f"render    once per (language, offset, reminder), reused {rate(len(jobs), cached)}")

    context = {
        "language": "es",
        "subject": "Junta Vecinal: Reunión convocada: Asamblea de diciembre",
        "intro": "Novedades de la Junta Vecinal que le tocan:",
        "items": [{"headline": "Reunión convocada", "detail": "Empieza el lunes.", "link": "http://x/es/"}],
        "action": "Ábralo en su dispositivo",
        "footer": "Usted recibe esto porque lo pidió.",
        "settings_link": "http://x/es/avisos/",
    }
    bare = []
    for _ in range(3):
        started = time.perf_counter()
        for _ in range(2000):
            render_to_string("web/notify/message.txt", context)
            render_to_string("web/notify/message.html", context)
        bare.append((time.perf_counter() - started) / 2000)
    base = statistics.median(bare)
    print(f"bare      render_to_string of the two templates {1 / base:9,.0f}/s  ({base * 1000:.3f} ms each)")

    from django.core import mail

    mail.outbox = []
    started = time.perf_counter()
    sent = 0
    while True:
        done = send_due(now=now, channel=EmailChannel(), batch=1000)
        sent += done.sent
        if not done.sent:
            break
    took_send = time.perf_counter() - started
    print(f"send      {sent} messages (locmem mail)  {rate(sent, took_send)}")
    per = per_member / len(jobs)
    print(
        f"ratios to the bare render: per-member render {per / base:.1f}x, "
        f"cached {cached / len(jobs) / base:.2f}x, enqueue {took / queued / base:.2f}x, "
        f"send {took_send / max(sent, 1) / base:.1f}x"
    )


if __name__ == "__main__":
    main()
