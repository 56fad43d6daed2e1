"""Page URLs resolved once per language and path (web/url_resolver.py): the same answers as Django's own
resolving, per language, with nothing shared that a view could change, and a bounded memory."""

import pytest
from django.urls import Resolver404, resolve
from django.utils import translation

from ayllu.web import url_resolver, views_assembly
from ayllu.web.url_resolver import RememberingResolver

LOG = "ab" * 32


@pytest.fixture(autouse=True)
def forgotten() -> None:
    for resolver in url_resolver._resolvers:
        resolver.forget()


def pages_resolver() -> RememberingResolver:
    from ayllu import urls

    found = [pattern for pattern in urls.urlpatterns if isinstance(pattern, RememberingResolver)]
    assert len(found) == 1
    return found[0]


def test_a_remembered_page_resolves_as_before_with_its_own_arguments() -> None:
    # given: the page resolved once, and its arguments changed by whoever got them
    with translation.override("es"):
        first = resolve(f"/es/asamblea/{LOG}/")
        first.kwargs["log"] = "changed"
        # when
        second = resolve(f"/es/asamblea/{LOG}/")
    # then
    assert second.func is views_assembly.assembly_home and second.url_name == "assembly"
    assert second.kwargs == {"log": LOG} and second.route == "es/asamblea/<str:log>/"
    assert second is not first and len(pages_resolver()._remembered) == 1


def test_a_path_is_remembered_per_active_language() -> None:
    # given: the English page resolved with English active
    with translation.override("en"):
        assert resolve(f"/en/assembly/{LOG}/").url_name == "assembly"
    # when: the same path with Spanish active (the prefix and routes are the active language's)
    # then: as Django answers it, no match
    with translation.override("es"), pytest.raises(Resolver404):
        resolve(f"/en/assembly/{LOG}/")


def test_a_path_that_matches_nothing_is_not_remembered() -> None:
    # when
    with translation.override("en"), pytest.raises(Resolver404):
        resolve("/en/nothing-here/")
    # then
    assert pages_resolver()._remembered == {}


def test_the_memory_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    # given
    monkeypatch.setattr(url_resolver, "MEMO_SIZE", 2)
    # when
    with translation.override("en"):
        for n in range(3):
            resolve(f"/en/assembly/{n:064x}/")
    # then
    assert len(pages_resolver()._remembered) <= 2
