"""The database-backed commands of `ayllu`, run after Django is set up."""

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.management import call_command, execute_from_command_line
from django.db import DatabaseError

from ayllu.actions.citations import CitationsReport, do_check_citations_of
from ayllu.actions.known_checkpoints import EQUIVOCATION, INCONSISTENT_WITH_KNOWN
from ayllu.actions.record import (
    batch_mapper,
    default_workers,
    do_import_record,
    do_restore_record,
    do_sign_checkpoint,
    do_verify_record_citations,
    do_verify_records,
    node_keypair,
)
from ayllu.core.errors import DomainError
from ayllu.core.ledger.record import Body, BodyKey
from ayllu.core.ledger.verify import VerifyReport, verify_record
from ayllu.queries.record import get_assembly_index, get_record_overview, iter_export_entries
from ayllu.storage import clock
from ayllu.storage.reads import bodies_of, checkpoint_bytes, get_record

from . import assembly, cargos, citations, deliver, follow, minute_book, prune, succession
from .exportfile import ExportedRecord, read_export, write_export

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
        "restore": cmd_restore,
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
        "prune": prune.cmd_prune,
        "deliver": deliver.cmd_deliver,
        "move-record": succession.cmd_move_record,
        "cite": citations.cmd_cite,
        "check-citation": citations.cmd_check_citation,
        "check-citations": citations.cmd_check_citations,
        "minute-book": minute_book.cmd_minute_book,
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
    from ayllu.cli.assembly import activate_language
    from ayllu.messages import rules_checked_sentence

    activate_language(None, default="en")
    rules = rules_checked_sentence(report.replayed, report.size)
    if report.ok and report.replayed < report.size:
        # The chain holds, but this replica could not check what the charter requires of every entry.
        print(f"FAILED: {label}: {report.size} entries hold, head {report.head}, root {report.root}; {rules}")
        return EXIT_FAILED
    if report.ok:
        print(f"ok: {label}: {report.size} entries, head {report.head}, root {report.root}; {rules}")
        return EXIT_OK
    problem = report.problem
    assert problem is not None
    where = f"entry {problem.seq}" if problem.seq is not None else "evidence"
    detail = json.dumps(problem.detail, sort_keys=True, default=str)
    print(f"FAILED: {label}: {where}: {problem.code} {detail}")
    print(f"  the first {report.size} entries hold (head {report.head or '-'}); {rules}")
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
                not_after=clock.latest_valid_time(),
            )
        status = _report(f"{args.file} (record {exported.log})", report)
        return max(status, _citations_in_file(exported)) if report.ok else status
    logs = [args.log] if args.log else [row[0] for row in get_assembly_index().rows]
    if not logs:
        print("no records on this node")
        return EXIT_OK
    if len(logs) == 1:
        progress = Progress(get_record_overview(logs[0]).size, label="verify")
        report, cited = do_verify_record_citations(
            logs[0], workers=workers, receipts=receipts, progress=progress
        )
        status = _report(f"record {logs[0]}", report)
        return max(status, _citations_said(cited, log=logs[0])) if report.ok else status

    def progress_of(log: str, index: int) -> Progress:
        print(f"verify: record {index + 1}/{len(logs)} {log}", file=sys.stderr, flush=True)
        return Progress(get_record_overview(log).size, label="verify")

    status = EXIT_OK
    for log, report, cited in do_verify_records(
        logs, workers=workers, receipts=receipts, progress=progress_of
    ):
        status = max(status, _report(f"record {log}", report))
        if report.ok:
            status = max(status, _citations_said(cited, log=log))
    return status


def _citations_said(report: CitationsReport, *, log: str) -> int:
    """Print how far the citations a record's acts carry were checked against this node's copies of the
    cited records (nothing for a record that cites none); EXIT_FAILED when one is refused."""
    if not report.acts:
        return EXIT_OK
    print("\n".join(f"  {line}" for line in citations.report_lines(report, log=log)))
    return EXIT_FAILED if report.refused else EXIT_OK


def _citations_in_file(exported: ExportedRecord) -> int:
    """Check the citations of a record read from an export file (not stored here) against this node's
    copies of the cited records: verification checked them by proof; this says how far beyond that they
    hold, and refuses a fork."""

    def body_of(key: BodyKey) -> Body | None:
        found = exported.bodies.get(key)
        return found if isinstance(found, Body) else None

    try:
        report = do_check_citations_of(exported.entries, body_of)
    except DomainError:  # an entry that does not read: verification or import names it
        return EXIT_OK
    except DatabaseError:
        # `ayllu verify --file` on a computer that runs no node: there are no copies to check against.
        print("  citations checked by proof only: no node's copies of the cited records here")
        return EXIT_OK
    return _citations_said(report, log=exported.log)


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


def _exported_copy(args: argparse.Namespace, *, nothing: str) -> ExportedRecord | None:
    """The export in `args.file`, or None (saying that `nothing` was done) when it cites an entry this
    node's copy of the cited record contradicts: what `import` and `restore` read before writing."""
    with args.file.open(encoding="utf-8") as lines:
        exported = read_export(lines)
    if _citations_in_file(exported) != EXIT_OK:
        print(f"{nothing}: it cites an entry that this node's copy of the cited record contradicts")
        return None
    return exported


def _refused(
    args: argparse.Namespace, exported: ExportedRecord, report: VerifyReport, *, nothing: str
) -> bool:
    """Report a copy that did not verify (saying that `nothing` was done); False when it verified."""
    if report.ok:
        return False
    _report(f"{args.file} (record {exported.log})", report)
    problem = report.problem
    if problem is not None and problem.code in (EQUIVOCATION, INCONSISTENT_WITH_KNOWN):
        from ayllu.messages import message_for

        # Held to a checkpoint seen from the record's node: say so in words, and name the evidence.
        print(f"  {message_for(problem.code, problem.detail)}")
        if "evidence_id" in problem.detail:
            print(f"  evidence kept: id {problem.detail['evidence_id']}")
    print(nothing)
    return True


def _take_copy(
    args: argparse.Namespace,
    do: Callable[..., VerifyReport],
    *,
    label: str,
    nothing: str,
    receipts: bool = False,
) -> tuple[ExportedRecord, VerifyReport] | None:
    """Hand the export in `args.file` to `do` (importing or restoring it), which verifies it whole
    before writing; None, having said that `nothing` was done, when it was refused."""
    exported = _exported_copy(args, nothing=nothing)
    if exported is None:
        return None
    report = do(
        exported.log,
        entries=exported.entries,
        bodies=exported.bodies,
        checkpoints=exported.checkpoints,
        visible=exported.visible,
        **({"receipts": _read_receipts(args.receipts)} if receipts else {}),
        workers=args.workers,
        progress=Progress(len(exported.entries), label=label),
    )
    if _refused(args, exported, report, nothing=nothing):
        return None
    return exported, report


def cmd_import(args: argparse.Namespace) -> int:
    migrate()
    taken = _take_copy(args, do_import_record, label="import", nothing="nothing was imported", receipts=True)
    if taken is None:
        return EXIT_FAILED
    exported, report = taken
    from ayllu.messages import rules_checked_sentence

    rules = rules_checked_sentence(report.replayed, report.size)
    print(f"imported record {exported.log}: {report.size} entries, head {report.head}; {rules}")
    return EXIT_OK if report.replayed == report.size else EXIT_FAILED


def cmd_restore(args: argparse.Namespace) -> int:
    taken = _take_copy(args, do_restore_record, label="restore", nothing="nothing was replaced")
    if taken is None:
        return EXIT_FAILED
    exported, report = taken
    print(f"restored record {exported.log}: {report.size} entries, head {report.head}")
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
    return serve(host=args.host, port=args.port, threads=args.threads, deliver=not args.no_deliver)


def cmd_manage(args: argparse.Namespace) -> int:
    execute_from_command_line(["ayllu manage", *args.args])
    return EXIT_OK
