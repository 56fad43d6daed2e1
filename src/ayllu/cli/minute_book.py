"""`ayllu minute-book LOG [--meeting ID] [--lang es] [--members] [--address URL] -o FILE.pdf`.

Writes the same PDF the pages serve (docs/paperwork.md): for the same head, language, reader class and
address, every node writes the same bytes. Without `--members` it is the public copy (members-only words
marked, never printed); the QR codes point to `--address`, the node's address as its readers reach it.
"""

import argparse
from typing import Any

DEFAULT_ADDRESS = "http://127.0.0.1:8000"


def add_parsers(sub: Any) -> None:
    """Add the `minute-book` command to the `ayllu` parser."""
    book = sub.add_parser("minute-book", help="write an assembly's minute book (libro de actas) as a PDF")
    book.add_argument("log")
    book.add_argument("--meeting", type=int, default=None, help="one meeting's minutes only")
    book.add_argument("--lang", choices=("es", "en"), default="es", help="the book's language")
    book.add_argument("--members", action="store_true", help="the members' copy, with members-only words")
    book.add_argument(
        "--address", default=DEFAULT_ADDRESS, help="scheme and host the QR codes point to (this node's)"
    )
    book.add_argument("-o", "--output", type=argparse.FileType("wb"), required=True)


def cmd_minute_book(args: argparse.Namespace) -> int:
    from ayllu.minute_book import make_minute_book  # needs Django set up: not when the parser is built

    pdf = make_minute_book(
        args.log,
        language=args.lang,
        members=args.members,
        address=args.address.rstrip("/"),
        meeting=args.meeting,
    )
    with args.output as out:
        out.write(pdf)
    copy = "members' copy" if args.members else "public copy"
    print(f"wrote the minute book of record {args.log} ({copy}, {args.lang}): {len(pdf)} bytes to {out.name}")
    return 0
