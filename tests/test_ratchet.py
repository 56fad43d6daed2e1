"""The ratchet: what issue 10 removes may not come back.

Reads answer frozen typed read models, not string-keyed maps of anything. `tests/ratchet.json` keeps how
many such maps (`dict[str, Any]`, `Mapping[str, Any]`, `MutableMapping[str, Any]`) are left in the
queries and in the web package; a change that adds one fails here. A change that removes some lowers the
number in `tests/ratchet.json` to what the failure message (or this test's `count_any_maps`) says, so
the next change cannot add them back. The duplicated blocks in `src` have their own number there, kept by
`scripts/ratchet_duplicates.py` (it needs the `duplicates` command, which is not part of the repo).
"""

import importlib.util
import json
import re
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
RATCHET = ROOT / "tests" / "ratchet.json"
ANY_MAP = re.compile(r"\b(?:dict|Dict|Mapping|MutableMapping)\[\s*str\s*,\s*(?:typing\.)?Any\s*\]")
# (the number's name in ratchet.json, the folder whose Python files it counts)
COUNTED = (
    ("queries_any_maps", ROOT / "src" / "ayllu" / "queries"),
    ("web_any_maps", ROOT / "src" / "ayllu" / "web"),
)


def _duplicates_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "ratchet_duplicates", ROOT / "scripts" / "ratchet_duplicates.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def count_any_maps(folder: Path) -> dict[str, int]:
    """How many string-keyed maps of anything each Python file below `folder` names (files with none left
    out), by path from the repository's root."""
    counts = {}
    for path in sorted(folder.rglob("*.py")):
        found = len(ANY_MAP.findall(path.read_text(encoding="utf-8")))
        if found:
            counts[path.relative_to(ROOT).as_posix()] = found
    return counts


def kept() -> dict[str, int]:
    return {k: v for k, v in json.loads(RATCHET.read_text(encoding="utf-8")).items() if not k.startswith("_")}


def test_the_pattern_finds_every_spelling_of_a_map_of_anything() -> None:
    # given
    text = "a: dict[str, Any]\nb: Mapping[str,Any] = {}\nc: MutableMapping[ str, typing.Any ]\n"
    # when / then
    assert len(ANY_MAP.findall(text)) == 3
    assert not ANY_MAP.findall("d: dict[str, int]\ne: Mapping[str, frozenset[Any]]\nf: mydict[str, Any]")


def test_the_ratchet_keeps_a_number_for_each_place_it_counts() -> None:
    assert {name for name, _ in COUNTED} <= set(kept())
    assert isinstance(kept().get("src_duplicate_pairs"), int)


def test_no_new_maps_of_anything_in_the_queries_and_the_web() -> None:
    numbers = kept()
    for name, folder in COUNTED:
        # when
        counts = count_any_maps(folder)
        total = sum(counts.values())
        # then
        assert total <= numbers[name], (
            f"{total} string-keyed maps of anything in {folder.relative_to(ROOT)}, more than the "
            f"{numbers[name]} tests/ratchet.json allows ({name}): answer a frozen read model (a dataclass "
            f"with ReadModel, see queries/assembly.py) instead. Per file: {counts}"
        )


def test_the_duplicates_script_reads_the_pair_count_of_the_tool() -> None:
    # given
    script = _duplicates_script()
    found = (
        "350 pairs of places (458 files read), each sharing runs of 6 or more identical or same-shape lines\n"
        "D1 ayllu/web/urls.py:81-107 ~ ayllu/web/urls.py:105-118 shape (+29 more runs)\n(+349 more pairs)\n"
    )
    # when / then
    assert script.count_pairs(found) == 350
    assert script.count_pairs("no duplicates (12 files read)\n") == 0
    with pytest.raises(ValueError, match="whole tree"):
        script.count_pairs(found + "incomplete: 40 files not read in 20 s\n")
    with pytest.raises(ValueError, match="unexpected"):
        script.count_pairs("usage: duplicates ...\n")


def test_the_duplicates_script_fails_only_when_the_count_grows() -> None:
    script = _duplicates_script()
    assert script.verdict(351, 350)[0] == 1
    assert script.verdict(350, 350)[0] == 0
    status, sentence = script.verdict(340, 350)
    assert status == 0
    assert "lower src_duplicate_pairs" in sentence


if __name__ == "__main__":
    # `python tests/test_ratchet.py`: the counts now, to lower the numbers in tests/ratchet.json
    for counted, below in COUNTED:
        print(f"{counted}: {sum(count_any_maps(below).values())}")
