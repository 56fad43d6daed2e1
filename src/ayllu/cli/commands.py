"""The database-backed commands of `ayllu`, run after Django is set up."""

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.management import call_command, execute_from_command_line
from django.db import DatabaseError

from ayllu.actions.record import (
    batch_mapper,
    default_workers,
    do_import_record,
    do_sign_checkpoint,
    do_verify_record,
    node_keypair,
)
from ayllu.core.ledger.verify import VerifyReport, verify_record
from ayllu.queries.record import get_record_overview, iter_export_entries, list_records
from ayllu.storage.reads import bodies_of, checkpoint_bytes, get_record

from . import assembly, cargos, follow, prune
from .exportfile import read_export, write_export

EXIT_OK, EXIT_FAILED, EXIT_ERROR = 0, 1, 2
LONG_RUN = 5000


def run(args: argparse.Namespace) -> int:
    """Dispatch one parsed command; database failures end as one line naming the database."""
    try:
        return _dispatch(args)
    except DatabaseError as exc:
        name = settings.DATABASES["default"]["NAME"]
        print(f"error: database {name}: {exc}", file=sys.stderr)
        return EXIT_ERROR


def _dispatch(args: argparse.Namespace) -> int:
    handler: Callable[[argparse.Namespace], int] = {
        "init": cmd_init,
        "verify": cmd_verify,
        "export": cmd_export,
        "import": cmd_import,
        "checkpoint": cmd_checkpoint,
        "demo-setup": cmd_demo_setup,
        "serve": cmd_serve,
        "manage": cmd_manage,
        "follow": follow.cmd_follow,
        "witness": follow.cmd_witness,
        "delegate": follow.cmd_delegate,
        "act": assembly.cmd_act,
        "found": assembly.cmd_found,
        "show": assembly.cmd_show,
        "draw": cargos.cmd_draw,
        "prune-drafts": prune.cmd_prune_drafts,
    }[args.command]
    return handler(args)


def migrate() -> None:
    """Bring the database schema up to date, quietly."""
    call_command("migrate", verbosity=0, interactive=False)


def cmd_init(args: argparse.Namespace) -> int:
    migrate()
    node = node_keypair()
    print(f"database ready: {settings.DATABASES['default']['NAME']}")
    print(f"node key: {settings.AYLLU_NODE_KEY_FILE} (public {node.public})")
    return EXIT_OK


class Progress:
    """Progress of a long verification, on stderr, about every tenth of the way."""

    def __init__(self, total: int, *, label: str) -> None:
        self.total, self.label, self.shown = total, label, 0

    def __call__(self, done: int) -> None:
        if self.total < LONG_RUN or (done - self.shown < self.total // 10 and done < self.total):
            return
        self.shown = done
        print(f"{self.label}: {done}/{self.total} entries checked", file=sys.stderr, flush=True)


def _report(label: str, report: VerifyReport) -> int:
    if report.ok:
        print(f"ok: {label}: {report.size} entries, head {report.head}, root {report.root}")
        return EXIT_OK
    problem = report.problem
    assert problem is not None
    where = f"entry {problem.seq}" if problem.seq is not None else "evidence"
    detail = json.dumps(problem.detail, sort_keys=True, default=str)
    print(f"FAILED: {label}: {where}: {problem.code} {detail}")
    print(f"  the first {report.size} entries hold (head {report.head or '-'})")
    return EXIT_FAILED


def _read_receipts(path: Path | None) -> list[bytes]:
    if path is None:
        return []
    return [line.strip().encode("utf-8") for line in path.read_text("utf-8").splitlines() if line.strip()]


def cmd_verify(args: argparse.Namespace) -> int:
    workers = default_workers() if args.workers is None else args.workers
    receipts = _read_receipts(args.receipts)
    if args.file is not None:
        with args.file.open(encoding="utf-8") as lines:
            exported = read_export(lines)
        if args.log is not None and args.log != exported.log:
            print(f"FAILED: {args.file}: holds record {exported.log}, not {args.log}")
            return EXIT_FAILED
        with batch_mapper(workers) as map_batches:
            report = verify_record(
                exported.log,
                exported.entries,
                bodies=exported.bodies.get,
                checkpoints=exported.checkpoints,
                receipts=receipts,
                visible=exported.visible,
                map_batches=map_batches,
                progress=Progress(len(exported.entries), label="verify"),
            )
        return _report(f"{args.file} (record {exported.log})", report)
    logs = [args.log] if args.log else [o.log for o in list_records()]
    if not logs:
        print("no records on this node")
        return EXIT_OK
    status = EXIT_OK
    for log in logs:
        size = get_record_overview(log).size
        progress = Progress(size, label="verify")
        report = do_verify_record(log, workers=workers, receipts=receipts, progress=progress)
        status = max(status, _report(f"record {log}", report))
    return status


def cmd_export(args: argparse.Namespace) -> int:
    record = get_record(args.log)
    visible = frozenset({"public"} if args.public_only else {"public", "members"})
    with args.output.open("w", encoding="utf-8") as out:
        count = write_export(
            out,
            log=record.log,
            name=record.name,
            visible=visible,
            entries=iter_export_entries(args.log),
            bodies=bodies_of(record),
            checkpoints=checkpoint_bytes(record),
        )
    print(f"exported record {record.log}: {count} entries to {args.output}")
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    migrate()
    with args.file.open(encoding="utf-8") as lines:
        exported = read_export(lines)
    report = do_import_record(
        exported.log,
        entries=exported.entries,
        bodies=exported.bodies,
        checkpoints=exported.checkpoints,
        visible=exported.visible,
        workers=args.workers,
        progress=Progress(len(exported.entries), label="import"),
    )
    if not report.ok:
        _report(f"{args.file} (record {exported.log})", report)
        print("nothing was imported")
        return EXIT_FAILED
    print(f"imported record {exported.log}: {report.size} entries, head {report.head}")
    return EXIT_OK


def cmd_checkpoint(args: argparse.Namespace) -> int:
    checkpoint = do_sign_checkpoint(args.log)
    print(f"checkpoint of record {checkpoint.log}: size {checkpoint.size}, root {checkpoint.root}")
    print(checkpoint.raw.decode("utf-8"))
    return EXIT_OK


def cmd_demo_setup(args: argparse.Namespace) -> int:
    from .demo import demo_setup

    migrate()
    return demo_setup(Path(settings.DATA_DIR))


def cmd_serve(args: argparse.Namespace) -> int:
    from .serve import serve

    migrate()
    return serve(host=args.host, port=args.port, threads=args.threads)


def cmd_manage(args: argparse.Namespace) -> int:
    execute_from_command_line(["ayllu manage", *args.args])
    return EXIT_OK
