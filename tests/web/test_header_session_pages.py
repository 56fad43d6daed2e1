"""The pages of a record outside its assembly's section (its decisions, one decision's check, an entry's
citation, the login page) and the node's front page say in their header who is logged in and offer to
log out, as the assembly's pages do; an outsider is never shown a member's header, whether the page is
rendered for them, kept in Django's cache or answered by its entity tag."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import translation

from factories.scenes import consent_decided_with_answered_objection, meeting_with_everyone
from factories.stored import StoredAssembly, found_with_officers, log_in_as, page_url

# The household of the member who logs in (keypair(1), the first founder: households casa-1, casa-2...).
HOUSEHOLD = "casa-1"


@pytest.fixture
def decided(db: None) -> tuple[StoredAssembly, int]:
    """An assembly with one decision (a consent passed in a meeting); its question's id."""
    cache.clear()
    assembly = found_with_officers("Junta Vecinal Villa Esperanza")
    ids = consent_decided_with_answered_objection(assembly, meeting_with_everyone(assembly))
    return assembly, ids["question"]


def _record_pages(assembly: StoredAssembly, question: int) -> list[str]:
    log = assembly.log
    return [
        page_url("record_decisions", "es", log=log),
        page_url("record_decision", "es", log=log, question_id=question),
        page_url("record_entry_citation", "es", log=log, seq=1),
        page_url("login", "es", log=log),
    ]


def _member(assembly: StoredAssembly) -> Client:
    client = Client()
    log_in_as(client, assembly.log, assembly.members[0])
    return client


def _shows_member(page: str) -> bool:
    return 'class="session__who"' in page or "Usted entró" in page or HOUSEHOLD in page


def test_the_record_pages_name_a_logged_in_member_and_offer_to_log_out(
    decided: tuple[StoredAssembly, int],
) -> None:
    # given
    assembly, question = decided
    member = _member(assembly)
    with translation.override("es"):
        for url in _record_pages(assembly, question):
            # when
            response = member.get(url)
            # then the header names the member's household and holds the log-out button, with its script
            page = response.content.decode()
            assert response.status_code == 200, url
            assert 'class="session__who"' in page and f"Usted entró · <bdi>{HOUSEHOLD}</bdi>" in page, url
            short = f'<span class="session__short" aria-hidden="true"><bdi>{HOUSEHOLD}</bdi></span>'
            assert short in page, url
            assert 'class="session__button">Salir</button>' in page, url
            assert "/static/web/js/csrf-form.js" in page and "csrftoken" in member.cookies, url


def test_the_record_pages_offer_an_outsider_to_log_in_and_name_nobody(
    decided: tuple[StoredAssembly, int],
) -> None:
    # given: a member read every page first
    assembly, question = decided
    member = _member(assembly)
    urls = _record_pages(assembly, question)
    for url in urls:
        member.get(url)
    outsider = Client()
    with translation.override("es"):
        for url in urls:
            # when
            page = outsider.get(url).content.decode()
            # then the header offers to log in (but on the login page itself), names nobody, has no way out
            login_page = url == page_url("login", "es", log=assembly.log)
            assert ('class="session__link"' in page) is not login_page, url
            assert "session__button" not in page and not _shows_member(page), url
            assert "/static/web/js/csrf-form.js" not in page, url


def test_the_front_page_names_a_logged_in_member_and_never_shows_an_outsider_their_header(
    decided: tuple[StoredAssembly, int],
) -> None:
    # given: an outsider's front page kept in the cache, then a member's, then an outsider's again
    assembly, _ = decided
    front = page_url("home", "es")
    first = Client().get(front)
    member = _member(assembly)
    # when
    mine = member.get(front)
    second = Client().get(front)
    # then the member's page names them and is theirs alone; neither outsider's page names anyone
    page = mine.content.decode()
    assert f"Usted entró · <bdi>{HOUSEHOLD}</bdi>" in page
    assert 'class="session__button">Salir</button>' in page and "/static/web/js/csrf-form.js" in page
    assert "private" in mine["Cache-Control"]
    for outsiders in (first, second):
        assert outsiders.status_code == 200
        text = outsiders.content.decode()
        assert not _shows_member(text) and "session__button" not in text
        assert "private" not in outsiders["Cache-Control"]
    # and the outsider's page is the cached one, under another entity tag than the member's
    assert first["ETag"] == second["ETag"] != mine["ETag"]


def test_the_front_page_kept_for_a_member_is_not_answered_to_an_outsider(
    decided: tuple[StoredAssembly, int],
) -> None:
    # given: the member's front page first, then its entity tag sent by a browser nobody is logged in on
    assembly, _ = decided
    front = page_url("home", "es")
    member = _member(assembly)
    mine = member.get(front)
    # when
    response = Client().get(front, HTTP_IF_NONE_MATCH=mine["ETag"])
    # then it is no 304 (the browser's copy is the member's page) but the outsider's own page
    assert response.status_code == 200
    assert not _shows_member(response.content.decode())
    # and the member asking again with it gets a 304
    assert member.get(front, HTTP_IF_NONE_MATCH=mine["ETag"]).status_code == 304


def test_the_front_page_forgets_the_member_who_logged_out(decided: tuple[StoredAssembly, int]) -> None:
    # given
    assembly, _ = decided
    front = page_url("home", "es")
    member = _member(assembly)
    mine = member.get(front)
    # when: they log out (the header's button) and ask again with the page they hold
    member.post(page_url("logout", "es"))
    after = member.get(front, HTTP_IF_NONE_MATCH=mine["ETag"])
    # then
    assert after.status_code == 200
    assert not _shows_member(after.content.decode())


def test_the_login_page_offers_a_logged_in_member_one_way_out_that_needs_no_script(
    decided: tuple[StoredAssembly, int],
) -> None:
    # given
    assembly, _ = decided
    member = _member(assembly)
    # when
    with translation.override("es"):
        page = member.get(page_url("login", "es", log=assembly.log)).content.decode()
    # then "Salir" is offered once, in the header, its form carrying the page's token
    assert page.count(">Salir</button>") == 1
    header = page[page.index('<header class="site-header">') : page.index("</header>")]
    assert 'class="session__button">Salir</button>' in header
    assert 'name="csrfmiddlewaretoken"' in header
    assert "Usted entró con este dispositivo" in page
