"""Template helpers of the cargo pages: codes in words, loads in days, shares, and bar charts as SVG."""

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django import template
from django.template.loader import render_to_string
from django.utils import formats
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from ayllu.assembly_words import word
from ayllu.cargo_words import cargo_word, power_federation
from ayllu.core.charter.rules import DAY_MS
from ayllu.queries.federations import get_record_names

register = template.Library()

BAR_HEIGHT = 20
BAR_GAP = 12
# The chart's width in px: drawn at about its own size (`.chart`'s max-width), so its 15 px names read as
# the page's small text, neither shrunk much on a 360 px phone nor grown on a desktop.
CHART_WIDTH = 300
MAX_BARS = 10
# A bar's name is written whole above it, over as many lines as it needs: a line holds this many
# characters of the 15 px label at the chart's full width (wide letters included), and takes LINE_HEIGHT.
LABEL_CHARS = 28
LINE_HEIGHT = 19
# Room right of the longest bar for its percentage ("100 %").
VALUE_WIDTH = 64


@register.filter
def cargo_in_words(code: str, table: str) -> str:
    """A code of the cargo pages (power, how, barred, flag, choice, phase, kind, unit, alert, cargo) in
    words; a withheld word (the "(members only)" mark) as it is."""
    if getattr(code, "members_only", False):
        return code
    federation = power_federation(str(code)) if table == "power" else ""
    names = get_record_names([federation]) if federation else {}
    return cargo_word(table, str(code), names=names)


@register.filter
def position_in_words(position: str) -> str:
    """A mandate's position in words: a ballot code (a federation's) by its word, the assembly's own
    words (another body's) as written, a withheld word (the "(members only)" mark) as it is."""
    if getattr(position, "members_only", False):
        return position
    return word("position", str(position))


@register.filter
def load_days(load: int) -> str:
    """A household's load (burden x ms served) as burden-days, the way the language writes numbers."""
    return formats.number_format(int(load) // DAY_MS, force_grouping=True)


@register.filter
def percent(per_mille: int) -> str:
    """A per-mille integer as a percentage, written the way the language writes it: "50 %", "33,3 %"."""
    value = int(per_mille)
    if value % 10 == 0:  # a whole percentage reads without ",0"
        return formats.number_format(value // 10) + "\u00a0%"
    return formats.number_format(value / 10, decimal_pos=1) + "\u00a0%"


@register.filter
def percent_of_million(millionths: int) -> str:
    """Millionths as a percentage with two decimals, rounded half up, written the way the language writes
    it: 428,571 reads "42.86 %" (Django's number_format alone cuts a float's digits: "42.85 %")."""
    hundredths = (2 * int(millionths) + 100) // 200  # the nearest hundredth of a percent, half up
    return formats.number_format(Decimal(hundredths).scaleb(-2), decimal_pos=2) + "\u00a0%"


def label_lines(label: str) -> list[str]:
    """A bar's name over the lines it needs at the chart's width, never cut: broken between words (or
    after a hyphen), and inside a word only when the word alone is longer than a line."""
    return textwrap.wrap(str(label), width=LABEL_CHARS) or [""]


@dataclass(frozen=True, slots=True)
class Bar:
    """One share a bar chart draws: whose it is (as the page names them) and how many thousandths."""

    label: str
    per_mille: int


@register.simple_tag
def bar_chart(
    bars: Sequence[Bar], *, title: str, desc: str, chart_id: str, highlight: str = ""
) -> SafeString:
    """A horizontal bar chart of shares as inline SVG (no script, no other host): the largest
    `MAX_BARS` bars, the rest summed into one bar of everyone else. Each bar's name reads whole on its
    own lines above it (a phone is too narrow for a column of names)."""
    rest = sum(b.per_mille for b in bars[MAX_BARS:])
    drawn = [*bars[:MAX_BARS], *([Bar(gettext("everyone else"), rest)] if rest else [])]
    plot = CHART_WIDTH - VALUE_WIDTH
    rows = []
    y = 0
    for index, bar in enumerate(drawn):
        others = bool(rest) and index == len(drawn) - 1
        lines = label_lines(bar.label)
        top = y + len(lines) * LINE_HEIGHT
        width = max(int(plot * bar.per_mille / 1000), 1 if bar.per_mille else 0)
        rows.append(
            {
                "lines": [{"text": line, "y": y + (i + 1) * LINE_HEIGHT - 4} for i, line in enumerate(lines)],
                "y": top,
                "width": width,
                "text_x": width + 6,
                "text_y": top + BAR_HEIGHT // 2 + 5,
                "shown": percent(bar.per_mille),
                "others": others,
                "strong": bool(highlight) and not others and bar.label == highlight,
            }
        )
        y = top + BAR_HEIGHT + BAR_GAP
    context = {
        "rows": rows,
        "title": title,
        "desc": desc,
        "chart_id": chart_id,
        "width": CHART_WIDTH,
        "height": max(y - BAR_GAP, 1),
        "bar_height": BAR_HEIGHT,
    }
    return render_to_string("web/cargos/includes/bar_chart.svg.html", context)
