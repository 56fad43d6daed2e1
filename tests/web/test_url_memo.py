"""`{% url %}` with remembered answers (web/url_memo.py) renders what Django's own tag renders: per
language, per script prefix, with `as`, and failing as Django's does."""

from collections.abc import Iterator

import pytest
from django.template import engines
from django.urls import NoReverseMatch, reverse, set_script_prefix
from django.utils import translation

from ayllu.web import url_memo

LOG = "a" * 64


@pytest.fixture(autouse=True)
def forget() -> Iterator[None]:
    url_memo.forget_urls()
    yield
    url_memo.forget_urls()
    set_script_prefix("/")


def render(source: str, **context: object) -> str:
    return str(engines["django"].from_string(source).render(context))


def test_the_tag_in_use_is_the_remembering_one() -> None:
    # given
    template = engines["django"].from_string("{% url 'web:assembly' log=log %}")
    # then
    assert isinstance(template.template.nodelist[0], url_memo.RememberedURLNode)  # type: ignore[attr-defined]


@pytest.mark.parametrize("language", ["es", "en"])
def test_it_renders_what_reverse_gives_in_each_language_asked_twice(language: str) -> None:
    # given
    source = (
        "{% url 'web:assembly' log=log %}|{% url 'web:meeting' log=log meeting_id=7 %}|{% url 'web:home' %}"
    )
    with translation.override(language):
        expected = "|".join(
            [
                reverse("web:assembly", kwargs={"log": LOG}),
                reverse("web:meeting", kwargs={"log": LOG, "meeting_id": 7}),
                reverse("web:home"),
            ]
        )
        # when
        first, second = render(source, log=LOG), render(source, log=LOG)
    # then
    assert first == second == expected


def test_the_other_language_gets_its_own_url() -> None:
    # given
    with translation.override("es"):
        spanish = render("{% url 'web:charter' log=log %}", log=LOG)
    # when
    with translation.override("en"):
        english = render("{% url 'web:charter' log=log %}", log=LOG)
    # then
    assert spanish == f"/es/asamblea/{LOG}/estatuto/" and english == f"/en/assembly/{LOG}/charter/"


def test_the_script_prefix_is_part_of_the_answer() -> None:
    # given
    with translation.override("en"):
        render("{% url 'web:home' %}")
        set_script_prefix("/ayllu/")
        # when
        page = render("{% url 'web:home' %}")
    # then
    assert page == "/ayllu/en/"


def test_as_sets_the_variable_and_renders_nothing() -> None:
    # when
    with translation.override("en"):
        page = render("{% url 'web:assembly' log=log as here %}[{{ here }}]", log=LOG)
    # then
    assert page == f"[/en/assembly/{LOG}/]"


def test_a_url_that_does_not_reverse_fails_as_with_django() -> None:
    # then
    with pytest.raises(NoReverseMatch):
        render("{% url 'web:no_such_page' %}")
    assert render("{% url 'web:no_such_page' as nowhere %}[{{ nowhere }}]") == "[]"


def test_arguments_are_escaped_as_django_does() -> None:
    # when
    with translation.override("en"):
        page = render("{% url 'web:assembly' log=log %}", log="a&b")
    # then
    assert page == "/en/assembly/a&amp;b/"
