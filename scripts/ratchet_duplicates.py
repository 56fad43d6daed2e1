#!/usr/bin/env python3
"""Fail when `src` holds more duplicated blocks than tests/ratchet.json allows (`src_duplicate_pairs`).

Runs the `duplicates` command (pairs of places sharing six or more lines of the same shape) when this
machine has it; it is not part of the repository and CI does not install it, so without it the script
says so and passes. After removing duplicates, `--lower` writes the new, smaller number to
tests/ratchet.json. Usage, from the repository's root:

    python scripts/ratchet_duplicates.py            # exit 1 when the count grew
    python scripts/ratchet_duplicates.py --lower    # and lower the kept number when it fell
"""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RATCHET = ROOT / "tests" / "ratchet.json"
KEY = "src_duplicate_pairs"
COMMAND = ("duplicates", "--repo", "src", "--most", "1", "--seconds", "120")


def count_pairs(output: str) -> int:
    """The number of pairs the first line of `duplicates` reports (0 for `no duplicates`).

    Raise ValueError when the output is not the one expected, or the tool did not read the whole tree
    (an `incomplete:` line): a count of part of the tree says nothing about growth."""
    lines = output.strip().splitlines()
    if any(line.startswith("incomplete:") for line in lines):
        raise ValueError("duplicates did not read the whole tree: " + output.strip())
    first = lines[0] if lines else ""
    if first.startswith("no duplicates"):
        return 0
    found = re.match(r"(\d+) pairs? of places", first)
    if found is None:
        raise ValueError(f"unexpected first line from duplicates: {first!r}")
    return int(found.group(1))


def verdict(count: int, allowed: int) -> tuple[int, str]:
    """The exit status and the sentence for `count` pairs against the `allowed` number kept."""
    if count > allowed:
        return 1, (
            f"{count} duplicated pairs in src, more than the {allowed} tests/ratchet.json allows: "
            "`duplicates --change` shows what this change wrote again; make one piece of code serve both"
        )
    if count < allowed:
        return 0, f"{count} duplicated pairs in src, fewer than {allowed}: lower {KEY} (run with --lower)"
    return 0, f"{count} duplicated pairs in src, as tests/ratchet.json allows"


def main(argv: list[str]) -> int:
    if shutil.which(COMMAND[0]) is None:
        print("the `duplicates` command is not installed here: duplicated blocks not checked")
        return 0
    output = subprocess.run(COMMAND, cwd=ROOT, capture_output=True, text=True, check=True).stdout
    try:
        count = count_pairs(output)
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    numbers = json.loads(RATCHET.read_text(encoding="utf-8"))
    status, sentence = verdict(count, numbers[KEY])
    print(sentence)
    if "--lower" in argv and count < numbers[KEY]:
        numbers[KEY] = count
        RATCHET.write_text(json.dumps(numbers, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"tests/ratchet.json: {KEY} is now {count}")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
