"""`ayllu cite LOG SEQ` and `ayllu check-citation FILE`: citations of another record's entry
(docs/record-format.md 14).

`cite` writes the citation of an entry of a record this node holds (signing a checkpoint of the head
first when this node seals the record). `check-citation` checks one against this node's copy of the
cited record, keeps the evidence a fork or a rollback yields, and says how far it was checked: by proof
only, against this node's copy, or through the cited assembly's rules.
"""

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ayllu.core.errors import CitationError, DomainError
from ayllu.core.ledger.citations import CitationVerdict, parse_citation_bytes

if TYPE_CHECKING:
    from ayllu.actions.citations import CitationsReport

EXIT_OK, EXIT_FAILED, EXIT_ERROR = 0, 1, 2
# Actions and queries are imported in the commands: `ayllu` builds its parser before Django is set up.


def add_parsers(sub: Any) -> None:
    """Add `cite` and `check-citation` to the `ayllu` command's subcommands."""
    cite = sub.add_parser("cite", help="write a citation of an entry of a record this node holds")
    cite.add_argument("log", help="the cited record's log id")
    cite.add_argument("seq", type=int, help="the cited entry's position")
    cite.add_argument("-o", "--output", type=Path, help="write it to this file (default: standard output)")
    check = sub.add_parser("check-citation", help="check a citation against this node's copy of the record")
    check.add_argument("file", type=Path)
    check.add_argument(
        "--sealer", action="append", default=None, metavar="KEY", help="a key known as the record's sealer"
    )
    check.add_argument("--require-held", action="store_true", help="refuse a citation of a record not held")
    every = sub.add_parser(
        "check-citations", help="check every citation a record's acts carry against this node's copies"
    )
    every.add_argument("log", help="the citing record's log id")


def cmd_cite(args: argparse.Namespace) -> int:
    """Run `ayllu cite LOG SEQ`."""
    from ayllu.actions.record import do_refresh_checkpoint
    from ayllu.queries.citations import get_citation

    do_refresh_checkpoint(args.log)
    raw = get_citation(args.log, seq=args.seq).raw() + b"\n"
    if args.output is None:
        sys.stdout.write(raw.decode("utf-8"))
    else:
        Path(args.output).write_bytes(raw)
        print(f"wrote the citation of entry {args.seq} of record {args.log} to {args.output}")
    return EXIT_OK


def describe(verdict: CitationVerdict) -> list[str]:
    """The verdict in lines: what holds, and how far it was checked."""
    lines = [
        f"ok: entry {verdict.seq} ({verdict.type}) of record {verdict.log}, hash {verdict.entry}, is in "
        f"the checkpoint of size {verdict.size} signed by node {verdict.node}"
    ]
    if verdict.checked == "proof":
        lines.append("citation checked by proof only: this node does not hold that entry of the record")
    elif verdict.checked == "record":
        lines.append(f"checked against this node's copy ({verdict.held} entries): the same entry")
    else:
        lines.append(
            f"checked against this node's copy ({verdict.held} entries): the same entry, and the cited "
            f"assembly's rules replayed through entry {verdict.seq}"
        )
    if not verdict.sealer_confirmed:
        lines.append("the checkpoint's node is not known here as the record's sealer")
    if verdict.ahead and verdict.held:
        lines.append(
            f"the checkpoint is ahead of this node's copy ({verdict.held} of {verdict.size} entries): "
            "follow the record to check the rest"
        )
    return lines


def cmd_check_citation(args: argparse.Namespace) -> int:
    """Run `ayllu check-citation FILE`; exit 0 when it holds, 1 when refused, 2 when unreadable."""
    from ayllu.actions.citations import do_check_citation
    from ayllu.queries.citations import get_held_copy

    try:
        citation = parse_citation_bytes(Path(args.file).read_bytes().rstrip(b"\n"))
    except DomainError as exc:
        print(f"FAILED: {args.file}: {exc}")
        return EXIT_FAILED if isinstance(exc, CitationError) else EXIT_ERROR
    sealers = None if args.sealer is None else frozenset(args.sealer)
    try:
        verdict = do_check_citation(
            citation, held=get_held_copy(citation), sealers=sealers, require_held=args.require_held
        )
    except CitationError as exc:
        detail = {k: v for k, v in exc.detail.items() if k not in ("evidence", "held", "cited")}
        print(f"REFUSED: {args.file}: {exc.code} {detail}")
        if "evidence" in exc.detail:
            print("evidence kept (ayllu check-evidence can re-check it; /fed/evidence/ serves it)")
        return EXIT_FAILED
    print("\n".join(describe(verdict)))
    return EXIT_OK


def report_lines(report: "CitationsReport", *, log: str) -> list[str]:
    """A citations report in lines: how many hold and how far each was checked, and what was refused or
    could not be checked (`ayllu check-citations`, and `ayllu verify`, `import`, `restore`)."""
    total = sum(report.checked.values())
    lines = [
        f"{report.acts} acts of record {log} carry citations: {total} hold "
        f"({report.checked['rules']} through the cited assembly's rules, {report.checked['record']} "
        f"against this node's copy, {report.checked['proof']} checked by proof only), "
        f"{len(report.refused)} refused"
    ]
    for seq, index, code in report.refused:
        lines.append(f"REFUSED: citation {index} of entry {seq}: {code} (evidence kept where there is some)")
    for seq in report.unreadable:
        lines.append(f"not checked: entry {seq} (its body is not held here, or does not read)")
    return lines


def cmd_check_citations(args: argparse.Namespace) -> int:
    """Run `ayllu check-citations LOG`; exit 0 when every citation holds, 1 otherwise."""
    from ayllu.actions.citations import do_check_record_citations

    report = do_check_record_citations(args.log)
    print("\n".join(report_lines(report, log=args.log)))
    return EXIT_OK if not report.refused and not report.unreadable else EXIT_FAILED
