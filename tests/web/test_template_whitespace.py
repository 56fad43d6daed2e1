"""Inclusion tags and includes print no whitespace after themselves: a template's last newline would put
a space before the comma or parenthesis that follows it on the page ("Ana (casa-1 )")."""

import re
from pathlib import Path

WEB = Path(__file__).resolve().parents[2] / "src" / "ayllu" / "web"
TEMPLATES = WEB / "templates"
INCLUSION_TAG = re.compile(r'inclusion_tag\(\s*"([^"]+)"')
INCLUDE = re.compile(r'\{% include "([^"]+)"[^%]*%\}')
TAG = re.compile(r"\{%[^%]*%\}|\{#.*?#\}|</?\w[^>]*>")
COMMENT = re.compile(r"\{#.*?#\}")
PUNCTUATION = ".,;:)!?»"


def inclusion_templates() -> list[str]:
    """The templates of every inclusion tag the web app registers."""
    return sorted(
        name
        for module in (WEB / "templatetags").glob("*.py")
        for name in INCLUSION_TAG.findall(module.read_text())
    )


def includes_before_punctuation() -> list[tuple[str, str]]:
    """(included template, where) for each `{% include %}` followed on its line by punctuation."""
    found = []
    for page in TEMPLATES.rglob("*.html"):
        for number, line in enumerate(page.read_text().splitlines(), 1):
            line = COMMENT.sub("", line)
            for match in INCLUDE.finditer(line):
                rest = TAG.sub("", line[match.end() :]).strip()
                if rest[:1] and rest[0] in PUNCTUATION:
                    found.append((match[1], f"{page.relative_to(TEMPLATES)}:{number}"))
    return found


def test_no_inclusion_tag_template_ends_in_whitespace() -> None:
    # given
    names = inclusion_templates()
    # then
    assert "web/assembly/includes/person.html" in names
    assert [n for n in names if (TEMPLATES / n).read_text() != (TEMPLATES / n).read_text().rstrip()] == []


def test_no_include_followed_by_punctuation_ends_in_whitespace() -> None:
    ending = [
        (name, where)
        for name, where in includes_before_punctuation()
        if (TEMPLATES / name).read_text() != (TEMPLATES / name).read_text().rstrip()
    ]
    assert ending == []


def test_the_check_sees_an_include_before_a_comma() -> None:
    # given
    line = '{% include "web/x.html" with a=1 %}{% endif %}</span>, y'
    # then
    rest = TAG.sub("", line[INCLUDE.search(line).end() :]).strip()  # type: ignore[union-attr]
    assert rest.startswith(",")
