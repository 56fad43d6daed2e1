"""The concentration page's bar charts name each bar whole: a household's or a member's name is written
over as many lines as it needs above its bar, never cut, on a phone as on a desktop."""

import html
import re

import pytest
from django.test import Client
from django.utils import translation

from ayllu.actions.record import forget_replayed_state
from ayllu.web.templatetags.cargos import LABEL_CHARS, Bar, bar_chart, label_lines
from factories.scenes import CargoAssembly, Clock, clock, create_cargo, found_cargo_assembly
from factories.stored import log_in_as, page_url

__all__ = ["clock"]  # the fixture, imported for the tests below

# Households named as councils name them, longer than a line of the chart, one with a word longer too.
LONG = {
    "ana": "Familia Apaza Mamani de la manzana 12, lote 4",
    "bea": "Familia Quispe Condori",
    "carla": "Casa comunal Wiphala-Qullasuyu-Tawantinsuyu-Pachamama",
    "dora": "Condori",
    "eva": "Familia Choque Huanca del pasaje Los Andes",
}
LONG["flor"] = LONG["eva"]


def _labels(page: str) -> list[str]:
    """The name of every bar of every chart, its lines joined by spaces."""
    found = []
    for text in re.findall(r'<text class="chart__label">(.*?)</text>', page, flags=re.S):
        found.append(" ".join(html.unescape(line) for line in re.findall(r"<tspan[^>]*>(.*?)</tspan>", text)))
    return found


def test_a_long_name_is_broken_between_words_and_never_cut() -> None:
    # given
    name = LONG["ana"]
    # when
    lines = label_lines(name)
    # then
    assert len(lines) == 2 and " ".join(lines) == name
    assert all(len(line) <= LABEL_CHARS for line in lines)


def test_a_word_longer_than_a_line_is_broken_inside_only_there() -> None:
    # given
    word = "x" * (LABEL_CHARS + 5)
    # when
    lines = label_lines(f"Casa {word}")
    # then every character is there, on lines no longer than the chart holds
    assert "".join(lines).replace(" ", "") == "Casa" + word
    assert all(len(line) <= LABEL_CHARS for line in lines)


def test_the_chart_grows_with_the_lines_its_names_take() -> None:
    # given: the same shares, named short and long
    short = [Bar("Apaza", 600), Bar("Mamani", 400)]
    long = [Bar(LONG["ana"], 600), Bar(LONG["eva"], 400)]
    # when
    heights = [
        int(re.search(r'viewBox="0 0 \d+ (\d+)"', bar_chart(bars, title="t", desc="d", chart_id=i))[1])
        for i, bars in (("a", short), ("b", long))
    ]
    # then
    assert heights[1] > heights[0]


def test_the_rest_of_the_bars_is_named_in_words() -> None:
    # given: more bars than a chart draws
    bars = [Bar(f"casa-{i}", 50) for i in range(20)]
    # when
    with translation.override("es"):
        svg = bar_chart(bars, title="t", desc="d", chart_id="x")
    # then
    assert "los demás" in svg and "…" not in svg


@pytest.fixture
def council(db: None, clock: Clock) -> CargoAssembly:
    """The cargo scene's members in households with long names; ana tables two proposals."""
    forget_replayed_state()
    asm = found_cargo_assembly(clock, households=LONG)
    create_cargo(asm, "tesoreria", powers=["keep_accounts"])
    create_cargo(asm, "delegacion", powers=["represent_in:fejuve"])
    return asm


@pytest.mark.parametrize("reader", ["outsider", "member"])
def test_the_concentration_page_names_every_household_whole(council: CargoAssembly, reader: str) -> None:
    # given
    client = Client()
    if reader == "member":
        log_in_as(client, council.log, council.keys["bea"])
    # when
    page = client.get(page_url("concentration", "es", log=council.log)).content.decode()
    labels = _labels(page)
    # then every household is named whole on the proposals' chart per household, and nothing is cut (a
    # word longer than a line goes on over the next: compared without the spaces between lines)
    whole = {label.replace(" ", "") for label in labels}
    for name in set(LONG.values()):
        assert name.replace(" ", "") in whole, name
    assert not any("…" in label for label in labels)
    # and a member's bar names their household and the start of their key, as the table does
    start = council.pub("ana")[:8]
    assert f"{LONG['ana']} {start}" in labels
