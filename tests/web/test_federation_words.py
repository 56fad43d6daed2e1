"""The words of the federation pages, as a council reads them on a phone: a plenary's title in the reader's
language, a whole ratification share as "all member assemblies", a federation named by its name rather
than its log id, the deadline a federation's question is suggested, and an assembly's voice already cast."""

import pytest
from django.utils import translation

from ayllu.cargo_words import cargo_word
from ayllu.core.charter.rules import DAY_MS
from ayllu.core.federations.plenary import PLENARY_TITLE
from ayllu.effect_words import effect_in_words
from ayllu.web.views_proposals import DEADLINE_MARGIN_MS, default_deadline
from ayllu.words import meeting_title

FED = "ab" * 32
NAMES = {FED: "Fejuve El Alto"}


@pytest.mark.parametrize(
    ("lang", "title"), [("es", "Plenaria de la federación"), ("en", "Federation plenary")]
)
def test_a_plenarys_stored_title_is_shown_in_the_readers_language(lang: str, title: str) -> None:
    # when
    with translation.override(lang):
        shown = meeting_title(PLENARY_TITLE, plenary=True)
    # then the record keeps its code, the reader reads words
    assert PLENARY_TITLE == "plenary"
    assert shown == title


@pytest.mark.parametrize("title", ["Asamblea ordinaria de diciembre", PLENARY_TITLE])
def test_any_other_meeting_title_is_shown_as_it_was_said(title: str) -> None:
    # when a meeting that is no federation's plenary is named (a member may have titled it "plenary")
    with translation.override("es"):
        shown = meeting_title(title, plenary=False)
    # then
    assert shown == title


@pytest.mark.parametrize(
    ("lang", "represent", "office"),
    [
        (
            "es",
            "representar a la asamblea en Fejuve El Alto",
            "servir el cargo vocero de la federación Fejuve El Alto",
        ),
        (
            "en",
            "represent the assembly in Fejuve El Alto",
            "serve the office vocero of the federation Fejuve El Alto",
        ),
    ],
)
def test_a_cargos_power_in_a_federation_held_here_names_the_federation(
    lang: str, represent: str, office: str
) -> None:
    # when
    with translation.override(lang):
        words = (
            cargo_word("power", f"represent_in:{FED}", names=NAMES),
            cargo_word("power", f"office_in:{FED}:vocero", names=NAMES),
        )
    # then
    assert words == (represent, office)


def test_a_federation_not_held_here_is_named_by_a_short_id() -> None:
    # when
    with translation.override("en"):
        word = cargo_word("power", f"represent_in:{FED}", names={})
    # then the start of its id, never all 64 characters
    assert word == f"represent the assembly in {FED[:12]}"
    assert FED not in word


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("es", "Quienes lo ocupen pueden: representar a la asamblea en Fejuve El Alto."),
        ("en", "Its holders may: represent the assembly in Fejuve El Alto."),
    ],
)
def test_a_new_cargos_effect_names_the_federation_it_represents_the_assembly_in(
    lang: str, expected: str
) -> None:
    # given
    effect = {
        "cargo": "delegado",
        "powers": [f"represent_in:{FED}"],
        "term_days": 90,
        "seats": 1,
        "burden": 1,
    }
    # when
    with translation.override(lang):
        words = effect_in_words("cargo_creation", effect, {"records": NAMES})
    # then
    assert expected in words
    assert FED[:12] not in " ".join(words)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("es", "Sí ratifica la resolución 4 de la federación Fejuve El Alto"),
        ("en", "Yes ratifies resolution 4 of the federation Fejuve El Alto"),
    ],
)
def test_a_ratifications_effect_names_the_federation(lang: str, expected: str) -> None:
    # when
    with translation.override(lang):
        words = " ".join(
            effect_in_words("ratification", {"federation": FED, "resolution": 4}, {"records": NAMES})
        )
    # then
    assert expected in words


@pytest.mark.parametrize(
    ("lang", "whole", "part"),
    [("es", ": todas, contado", ": 2/3, contado"), ("en", ": all of them, counted", ": 2/3, counted")],
)
def test_a_resolutions_effect_says_a_whole_share_as_all_of_them(lang: str, whole: str, part: str) -> None:
    # given
    effect = {"rule": "assemblies", "share": "1/1", "deadline": 1_798_804_800_000}
    # when
    with translation.override(lang):
        all_of_them = " ".join(effect_in_words("resolution", effect, {}))
        two_thirds = " ".join(effect_in_words("resolution", {**effect, "share": "2/3"}, {}))
    # then
    assert whole in all_of_them and "1/1" not in all_of_them
    assert part in two_thirds


def test_a_federations_question_is_suggested_a_week_or_the_charters_minimum() -> None:
    # given
    now = 1_000_000
    # when
    short = default_deadline(now, voting_ms=DAY_MS, federation=True)
    long = default_deadline(now, voting_ms=10 * DAY_MS, federation=True)
    assembly = default_deadline(now, voting_ms=DAY_MS, federation=False)
    # then member assemblies get days to decide their mandate; an assembly's own question keeps the
    # charter's minimum and a margin
    assert short == now + 7 * DAY_MS
    assert long == now + 10 * DAY_MS + DEADLINE_MARGIN_MS
    assert assembly == now + DAY_MS + DEADLINE_MARGIN_MS
