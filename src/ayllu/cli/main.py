"""The `ayllu` command: set up a node, verify, export and import records, serve the web app.

Every command that touches the database sets up Django first (settings from DJANGO_SETTINGS_MODULE,
ayllu.settings.dev by default; `--data DIR` chooses the node's data directory). Errors reach the user
as their stable code and detail, never as a traceback, and never with key material.
"""

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from ayllu.core.errors import DomainError

EXIT_OK, EXIT_FAILED, EXIT_ERROR = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ayllu", description="A node of ayllu: records of assemblies.")
    parser.add_argument("--data", metavar="DIR", help="the node's data directory (sets AYLLU_DATA_DIR)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    sub.add_parser("init", help="create the database and the node key")
    keygen = sub.add_parser("keygen", help="create a member key file (mode 0600); print its public key")
    keygen.add_argument("out", type=Path)

    verify = sub.add_parser("verify", help="verify whole records, from the database or an export file")
    verify.add_argument("log", nargs="?", help="the record's log id (default: every record)")
    verify.add_argument("--file", type=Path, help="verify an export file instead of the database")
    verify.add_argument("--receipts", type=Path, help="receipts to hold the record to, one per line")
    verify.add_argument("--workers", type=int, default=None, help="processes for signatures")

    export = sub.add_parser("export", help="write a record as JSON Lines")
    export.add_argument("log")
    export.add_argument("-o", "--output", type=Path, required=True)
    export.add_argument("--public-only", action="store_true", help="leave out members-only bodies")

    imp = sub.add_parser("import", help="verify an export file and store it; nothing is stored on failure")
    imp.add_argument("file", type=Path)
    imp.add_argument("--receipts", type=Path, help="receipts the record must honour, one per line")
    imp.add_argument("--workers", type=int, default=None)
    restore = sub.add_parser(
        "restore",
        help="replace a record that failed its check with a good copy (an export file) that verifies and "
        "holds everything this node verified; nothing is replaced on failure",
    )
    restore.add_argument("file", type=Path)
    restore.add_argument("--workers", type=int, default=None)

    checkpoint = sub.add_parser("checkpoint", help="sign a checkpoint of a record's size and root")
    checkpoint.add_argument("log")

    sub.add_parser("demo-setup", help="prepare a demo node (idempotent)")

    serve = sub.add_parser("serve", help="migrate, then serve the web app with granian")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--threads", type=int, default=4, help="blocking threads for Django")
    serve.add_argument(
        "--no-deliver", action="store_true", help="do not deliver notifications here (run `ayllu deliver`)"
    )

    from .follow import add_parsers as add_federation_parsers

    add_federation_parsers(sub)

    from .assembly import add_parsers as add_assembly_parsers

    add_assembly_parsers(sub)

    from .proofs import add_parsers as add_proof_parsers

    add_proof_parsers(sub)

    from .citations import add_parsers as add_citation_parsers

    add_citation_parsers(sub)

    from .evidence import add_parsers as add_evidence_parsers

    add_evidence_parsers(sub)

    from .succession import add_parsers as add_succession_parsers

    add_succession_parsers(sub)

    from .prune import add_parsers as add_prune_parsers

    add_prune_parsers(sub)

    from .deliver import add_parsers as add_deliver_parsers

    add_deliver_parsers(sub)
    from .minute_book import add_parsers as add_minute_book_parsers

    add_minute_book_parsers(sub)

    manage = sub.add_parser("manage", help="run a Django management command", add_help=False)
    manage.add_argument("args", nargs=argparse.REMAINDER)
    return parser


def _setup_django(data: str | None) -> None:
    if data is not None:
        os.environ["AYLLU_DATA_DIR"] = str(Path(data).resolve())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ayllu.settings.dev")
    import django
    from django.conf import settings

    django.setup()
    Path(settings.DATA_DIR).mkdir(parents=True, exist_ok=True, mode=0o700)


# Commands whose answers may need HiGHS (turn order, roster, draws); the others never import it.
SOLVING_COMMANDS = frozenset({"show", "act", "draw", "serve", "demo-setup"})


def silence_solver_banner() -> None:
    """Construct HiGHS once with the process's stdout closed.

    HiGHS's C++ constructor prints a two-line banner straight to file descriptor 1 the first time a
    process makes a solver, whatever its options; it would land in the middle of a command's output
    (the JSON of `ayllu show roster`, say). Later solvers in the same process print nothing.
    """
    import highspy

    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "wb") as devnull:
            os.dup2(devnull.fileno(), 1)
            highspy.Highs()  # type: ignore[no-untyped-call]
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the `ayllu` command; return its exit status."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "keygen":
            from .keys import keygen

            return keygen(args.out)
        if args.command == "check-proof":
            from .proofs import cmd_check_proof

            return cmd_check_proof(args)
        if args.command == "check-evidence":
            from .evidence import cmd_check_evidence

            return cmd_check_evidence(args)
        if args.command == "endorse-move":
            from .succession import cmd_endorse_move

            return cmd_endorse_move(args)
        if args.command in SOLVING_COMMANDS:
            silence_solver_banner()
        _setup_django(args.data)
        from . import commands

        return commands.run(args)
    except DomainError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except OSError as exc:
        print(f"error: {exc.strerror or exc}: {exc.filename or ''}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
