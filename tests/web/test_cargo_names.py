"""A cargo or office an assembly named reads as words on every page (the same words as `office_name`);
a built-in cargo reads in the page's language."""

import pytest
from django.utils import translation

from ayllu.assembly_words import word
from ayllu.cargo_words import cargo_word, office_name
from ayllu.notify.messages import cargo_name
from ayllu.web.templatetags.assembly import in_words
from ayllu.web.templatetags.cargos import cargo_in_words


@pytest.mark.parametrize("language", ["es", "en"])
@pytest.mark.parametrize(
    ("code", "shown"), [("tesorero", "Tesorero"), ("vocero_distrital", "Vocero distrital")]
)
def test_a_named_cargo_reads_the_same_everywhere(language: str, code: str, shown: str) -> None:
    with translation.override(language):
        # when / then: the pages' filters, the words modules and the messages agree
        assert office_name(code) == shown
        assert in_words(code, "cargo") == cargo_in_words(code, "cargo") == shown
        assert word("cargo", code) == cargo_word("cargo", code) == cargo_name(code) == shown


@pytest.mark.parametrize(("language", "shown"), [("es", "convocante"), ("en", "convenor")])
def test_a_built_in_cargo_reads_in_the_pages_language(language: str, shown: str) -> None:
    with translation.override(language):
        assert in_words("convenor", "cargo") == cargo_in_words("convenor", "cargo") == shown
