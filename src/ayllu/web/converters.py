"""URL converters: words in addresses that follow the page's language."""

from django.conf import settings
from django.utils import translation

from ayllu.assembly_words import MATTER_SLUGS


def matter_slug(matter: str) -> str:
    """The word for `matter` in a URL, in the active language (the code itself for an unknown one)."""
    slug = MATTER_SLUGS.get(matter)
    return matter if slug is None else str(slug)


def matter_from_slug(slug: str) -> str | None:
    """The matter a URL word names, in any language (or the code itself); None if it names none.

    Every language's word is read back, so an address copied from a page in another language, or an
    older address with the English word, still finds its page (which then redirects to its own word).
    """
    if slug in MATTER_SLUGS:
        return slug
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for matter, word in MATTER_SLUGS.items():
                if str(word) == slug:
                    return matter
    return None


class MatterConverter:
    """`<matter:…>`: a matter's code in the view, its word in the active language in the address."""

    regex = "[a-z_-]+"

    def to_python(self, value: str) -> str:
        matter = matter_from_slug(value)
        if matter is None:
            raise ValueError(value)
        return matter

    def to_url(self, value: str) -> str:
        return matter_slug(value)
