"""Assembly home pages served with conditional GET (web/page_cache.py): a page asked for again with its
ETag is answered 304 Not Modified until the record, the reader, the language or the clock changes it;
an outsider's page is rendered once for every outsider; pages carry no CSRF token, and the forms'
token comes from Django's CSRF cookie."""

import re
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from ayllu.actions.record import do_append, forget_replayed_state
from ayllu.core.ledger.record import sign_act
from ayllu.storage import clock as clock_module
from ayllu.web import auth, page_cache, views_assembly
from factories.records import FOUNDED_AT, act_body
from factories.stored import StoredAssembly, act, found_with_officers, log_in_as

HOUR = 3_600_000


@pytest.fixture
def assembly(db: None) -> StoredAssembly:
    forget_replayed_state()
    return found_with_officers("Junta Vecinal Villa Esperanza")


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The member ids each home page was rendered for (a 304, or a page from the cache, adds nothing).

    The node's clock stands still in the middle of the next guard period, so two requests never fall
    on either side of a period's end (every ETag changes there, and the page is rendered again).
    """
    period = page_cache._period_ms()
    steady = (clock_module.now_ms() // period + 1) * period + period // 2
    monkeypatch.setattr(clock_module, "now_ms", lambda: steady)
    rendered: list[str] = []
    real = views_assembly.pages.get_member_home

    def counting(log: str, *, member: str, now: int) -> dict[str, Any]:
        rendered.append(member)
        return real(log, member=member, now=now)

    monkeypatch.setattr(views_assembly.pages, "get_member_home", counting)
    return rendered


class Browser(Client):
    """A test client that keeps each page it got with its ETag and asks again with If-None-Match, as a
    browser does (Cache-Control: no-cache); `statuses` lists the answers' status codes."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.kept: dict[str, tuple[str, str]] = {}
        self.statuses: list[int] = []

    def page(self, url: str) -> str:
        held = self.kept.get(url)
        extra = {"HTTP_IF_NONE_MATCH": held[0]} if held else {}
        response = self.get(url, **extra)
        self.statuses.append(response.status_code)
        if response.status_code == 304:
            assert held is not None
            return held[1]
        assert response.status_code == 200, response.status_code
        self.kept[url] = (response.headers["ETag"], response.content.decode())
        return self.kept[url][1]


def home_url(log: str, language: str = "en") -> str:
    word = {"en": "assembly", "es": "asamblea"}[language]
    return f"/{language}/{word}/{log}/"


def home(browser: Browser, log: str, language: str = "en") -> str:
    return browser.page(home_url(log, language))


def table(assembly: StoredAssembly, title: str, *, vis: str = "public") -> int:
    """The convenor tables a proposal; its words are for members only when `vis` is "members"."""
    content = {"matter": "ordinary", "title": title, "text": "Diez Bs.", "effect": {}}
    body = act_body("proposal.tabled", content, vis=vis)
    nonce = "t-" + re.sub("[^a-z0-9]", "-", title.lower())
    signed = sign_act(assembly.convenor, log=assembly.log, type="proposal.tabled", body=body, nonce=nonce)
    return do_append(assembly.log, signed_act=signed, body=body).seq


def member(assembly: StoredAssembly, index: int, *, enforce_csrf_checks: bool = False) -> Browser:
    """A browser logged in as the assembly's member `index`; checked by Django's CSRF protection from
    then on if `enforce_csrf_checks`."""
    browser = Browser()
    log_in_as(browser, assembly.log, assembly.members[index])
    browser.handler.enforce_csrf_checks = enforce_csrf_checks
    return browser


def log_out(browser: Browser) -> int:
    """Log out as the page's script does: the token of the CSRF cookie in the form's field."""
    token = browser.cookies[settings.CSRF_COOKIE_NAME].value
    return browser.post("/en/logout/", {"csrfmiddlewaretoken": token}).status_code


def test_a_page_asked_again_is_not_modified_and_not_rendered(
    assembly: StoredAssembly, renders: list[str]
) -> None:
    # given
    browser = member(assembly, 0)
    first = home(browser, assembly.log)
    # when
    second = home(browser, assembly.log)
    # then
    assert browser.statuses == [200, 304]
    assert renders == [assembly.members[0].public] and second == first


def test_a_page_says_it_must_be_asked_again_and_a_members_page_is_private(assembly: StoredAssembly) -> None:
    # when
    outsider = Client().get(home_url(assembly.log))
    members = member(assembly, 0).get(home_url(assembly.log))
    # then
    assert outsider.headers["Cache-Control"] == "no-cache"
    assert set(members.headers["Cache-Control"].split(", ")) == {"no-cache", "private"}
    assert "Cookie" in members.headers["Vary"]


def test_every_outsider_gets_the_page_rendered_once(assembly: StoredAssembly, renders: list[str]) -> None:
    # when: two browsers without a page kept
    pages = [home(Browser(), assembly.log) for _ in range(2)]
    # then
    assert renders == [""] and pages[0] == pages[1]


def test_the_page_changes_after_an_append(assembly: StoredAssembly, renders: list[str]) -> None:
    # given
    browser = Browser()
    assert "Cuota para el tanque" not in home(browser, assembly.log)
    # when
    table(assembly, "Cuota para el tanque")
    # then
    assert "Cuota para el tanque" in home(browser, assembly.log)
    assert browser.statuses == [200, 200] and renders == ["", ""]


def test_two_members_each_see_their_own_page(assembly: StoredAssembly, renders: list[str]) -> None:
    # given
    first, second = member(assembly, 0), member(assembly, 1)
    # when: each asks twice, in turn, and the second also with the first's ETag
    pages = [home(browser, assembly.log) for browser in (first, second, first, second)]
    crossed = second.get(home_url(assembly.log), HTTP_IF_NONE_MATCH=first.kept[home_url(assembly.log)][0])
    # then
    assert all("Logged in · <bdi>casa-1</bdi>" in page for page in pages[0::2])
    assert all("Logged in · <bdi>casa-2</bdi>" in page for page in pages[1::2])
    assert first.statuses == second.statuses == [200, 304]
    assert crossed.status_code == 200 and "Logged in · <bdi>casa-2</bdi>" in crossed.content.decode()


def test_an_outsider_never_gets_a_members_page(assembly: StoredAssembly) -> None:
    # given: a proposal whose words are for members only, on a member's page
    table(assembly, "Reparto secreto del agua", vis="members")
    reader = member(assembly, 0)
    assert "Reparto secreto del agua" in home(reader, assembly.log)
    etag = reader.kept[home_url(assembly.log)][0]
    # when: an outsider asks, with and without the member's ETag
    pages = [
        Client().get(home_url(assembly.log), HTTP_IF_NONE_MATCH=etag),
        Client().get(home_url(assembly.log)),
    ]
    # then
    for answer in pages:
        page = answer.content.decode()
        assert answer.status_code == 200
        assert "Reparto secreto del agua" not in page
        assert "(members only)" in page and "Log out" not in page and "Are you a member?" in page


def test_a_member_who_logged_out_gets_the_outsiders_page(assembly: StoredAssembly) -> None:
    # given
    table(assembly, "Reparto secreto del agua", vis="members")
    browser = member(assembly, 0, enforce_csrf_checks=True)
    assert "Reparto secreto del agua" in home(browser, assembly.log)
    # when
    assert log_out(browser) == 302
    # then
    page = home(browser, assembly.log)
    assert browser.statuses == [200, 200]
    assert "Reparto secreto del agua" not in page and "Log out" not in page


def test_a_session_ended_in_another_browser_no_longer_gets_the_members_page(assembly: StoredAssembly) -> None:
    # given: the same session in two browsers (its cookie copied), the member's page held by both
    first, second = member(assembly, 0), Browser()
    second.cookies[settings.SESSION_COOKIE_NAME] = first.cookies[settings.SESSION_COOKIE_NAME].value
    assert all("Log out" in home(reader, assembly.log) for reader in (first, second, second))
    # when: it is ended in the first browser
    assert log_out(first) == 302
    # then: the second, still holding the cookie and the page, reads as an outsider (the session is
    # checked on the node, not in the cookie)
    assert "Log out" not in home(second, assembly.log)
    assert second.statuses == [200, 304, 200]


@pytest.mark.parametrize(
    ("change", "content"), [("member.left", {}), ("member.key_rotated", {"new_key": "new"})]
)
def test_a_member_who_left_or_replaced_their_key_loses_their_page_at_once(
    assembly: StoredAssembly, change: str, content: dict[str, object]
) -> None:
    # given: a member's page held (the key's standing remembered at this head)
    from factories.keys import keypair

    browser = member(assembly, 2)
    assert all("Log out" in home(browser, assembly.log) for _ in range(2))
    if change == "member.key_rotated":
        content = {"new_key": keypair(99).public}
    # when
    act(assembly, assembly.members[2], change, content)
    # then: the next request reads the record at its new head and ends the session
    assert "Log out" not in home(browser, assembly.log)
    assert "Log out" not in home(browser, assembly.log)


def test_an_idle_member_loses_their_page_and_their_csrf_secret(
    assembly: StoredAssembly, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: a member's page held, and the CSRF secret they logged in with
    at = {"now": auth.now()}
    monkeypatch.setattr(auth, "now", lambda: at["now"])
    browser = member(assembly, 0, enforce_csrf_checks=True)
    assert all("Log out" in home(browser, assembly.log) for _ in range(2))
    old_secret = browser.cookies[settings.CSRF_COOKIE_NAME].value
    # when: idle past the limit, they ask for the page again
    at["now"] += settings.AYLLU_SESSION_IDLE_SECONDS + 1
    answer = browser.get(home_url(assembly.log), HTTP_IF_NONE_MATCH=browser.kept[home_url(assembly.log)][0])
    # then: the outsider's page, and a new CSRF secret (the old one is not written back)
    assert answer.status_code == 200 and "Log out" not in answer.content.decode()
    new_secret = answer.cookies[settings.CSRF_COOKIE_NAME].value
    assert new_secret not in ("", old_secret)
    stale = Client(enforce_csrf_checks=True)
    stale.cookies[settings.CSRF_COOKIE_NAME] = new_secret
    assert stale.post("/en/logout/", {"csrfmiddlewaretoken": old_secret}).status_code == 403


def test_the_other_language_gets_its_own_page(assembly: StoredAssembly) -> None:
    # given
    browser = Browser()
    assert "The assembly now" in home(browser, assembly.log, "en")
    # when
    page = home(browser, assembly.log, "es")
    # then
    assert "La asamblea ahora" in page and "The assembly now" not in page


def test_the_page_follows_the_clock(monkeypatch: pytest.MonkeyPatch, db: None) -> None:
    # given: a meeting that starts in an hour, and its page held
    forget_replayed_state()
    clock = {"now": FOUNDED_AT}
    monkeypatch.setattr(clock_module, "now_ms", lambda: clock["now"])
    assembly = found_with_officers("Junta Vecinal Villa Esperanza")
    act(
        assembly,
        assembly.convenor,
        "meeting.convened",
        {"title": "Asamblea de mayo", "starts": FOUNDED_AT + HOUR},
    )
    browser = Browser()
    assert "Starts" in home(browser, assembly.log)
    # when: the hour passes, and nothing is appended
    clock["now"] += HOUR
    # then
    assert "Started" in home(browser, assembly.log)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch, assembly: StoredAssembly) -> dict[str, int]:
    """The node's clock as the home view reads it, from just after the assembly was founded; tests
    move it."""
    now = {"now": clock_module.now_ms()}
    monkeypatch.setattr(clock_module, "now_ms", lambda: now["now"])
    return now


def test_a_page_holds_until_the_meeting_starts_and_changes_then(
    assembly: StoredAssembly, renders: list[str], clock: dict[str, int], settings: Any
) -> None:
    # given: no guard period in the way, a meeting that starts in an hour, its page rendered now
    settings.AYLLU_PAGE_SECONDS = 24 * 3600
    clock["now"] = (clock["now"] // (24 * HOUR) + 1) * 24 * HOUR + HOUR  # early in the next guard period
    starts = clock["now"] + HOUR
    act(assembly, assembly.convenor, "meeting.convened", {"title": "Asamblea de mayo", "starts": starts})
    browser = Browser()
    assert "Starts" in home(browser, assembly.log)
    # when: the last millisecond before it starts, then the start
    clock["now"] = starts - 1
    before = home(browser, assembly.log)
    clock["now"] = starts
    after = home(browser, assembly.log)
    # then: not modified until the start, rendered again at the start
    assert "Starts" in before and "Started" in after
    assert browser.statuses == [200, 304, 200] and len(renders) == 2


def test_a_members_question_leaves_their_page_once_its_deadline_passes(
    assembly: StoredAssembly, renders: list[str], clock: dict[str, int], settings: Any
) -> None:
    # given: a question open between meetings until an hour from now, on a member's page
    settings.AYLLU_PAGE_SECONDS = 24 * 3600
    clock["now"] = (clock["now"] // (24 * HOUR) + 1) * 24 * HOUR + HOUR
    deadline = clock["now"] + HOUR
    proposal = table(assembly, "Cuota para el tanque")
    act(assembly, assembly.convenor, "question.opened", {"proposal": proposal, "deadline": deadline})
    browser = member(assembly, 1)
    assert "Open until" in home(browser, assembly.log)
    # when: at the deadline (still open to answer), then a millisecond after it
    clock["now"] = deadline
    at_deadline = home(browser, assembly.log)
    clock["now"] = deadline + 1
    after = home(browser, assembly.log)
    # then
    assert "Open until" in at_deadline and "Open until" not in after
    assert browser.statuses == [200, 304, 200] and len(renders) == 2


def test_a_page_nothing_changes_by_the_clock_changes_its_etag_each_guard_period(
    assembly: StoredAssembly, clock: dict[str, int]
) -> None:
    # given: nothing on the page depends on the clock; the page held early in a guard period
    period = int(page_cache.DEFAULT_SECONDS * 1000)
    clock["now"] = (clock["now"] // period + 1) * period
    browser = Browser()
    home(browser, assembly.log)
    # when
    clock["now"] += period - 1
    home(browser, assembly.log)
    clock["now"] += 1
    home(browser, assembly.log)
    # then
    assert browser.statuses == [200, 304, 200]


def test_the_node_name_is_part_of_the_page(assembly: StoredAssembly, settings: Any) -> None:
    # given
    browser = Browser()
    home(browser, assembly.log)
    # when: the node is renamed (its header shows the name), the record unchanged
    settings.AYLLU_NODE_NAME = "Nodo de prueba renombrado"
    page = home(browser, assembly.log)
    # then
    assert browser.statuses == [200, 200] and "Nodo de prueba renombrado" in page


def test_a_host_not_allowed_is_refused_even_with_a_page_held(assembly: StoredAssembly) -> None:
    # given
    browser = Browser()
    home(browser, assembly.log)
    etag = browser.kept[home_url(assembly.log)][0]
    # when
    response = browser.get(home_url(assembly.log), HTTP_HOST="evil.example", HTTP_IF_NONE_MATCH=etag)
    # then
    assert response.status_code == 400


def test_another_query_string_is_another_page_and_other_methods_are_refused(assembly: StoredAssembly) -> None:
    # given
    browser = Browser()
    home(browser, assembly.log)
    etag = browser.kept[home_url(assembly.log)][0]
    # when
    head = browser.head(home_url(assembly.log), HTTP_IF_NONE_MATCH=etag)
    query = browser.get(home_url(assembly.log) + "?x=1", HTTP_IF_NONE_MATCH=etag)
    # then
    assert head.status_code == 405
    assert query.status_code == 200 and query.headers["ETag"] != etag


def test_pages_carry_no_csrf_token_and_an_outsiders_home_sets_no_cookie(assembly: StoredAssembly) -> None:
    # when
    outsider = Client().get(home_url(assembly.log))
    members = member(assembly, 0).get(home_url(assembly.log))
    # then
    assert b"csrfmiddlewaretoken" not in outsider.content and b"csrfmiddlewaretoken" not in members.content
    assert settings.CSRF_COOKIE_NAME not in outsider.cookies
    assert b"data-ayllu-csrf" in members.content  # the log-out form, filled by its script


def test_a_member_posts_with_the_token_of_their_csrf_cookie(assembly: StoredAssembly) -> None:
    # given: two sessions with CSRF checks on
    readers = [member(assembly, 0, enforce_csrf_checks=True), member(assembly, 1, enforce_csrf_checks=True)]
    # when: the first posts with the other's cookie's token, then each with their own (as a header too)
    crossed = readers[0].post(
        "/en/logout/", {"csrfmiddlewaretoken": readers[1].cookies[settings.CSRF_COOKIE_NAME].value}
    )
    own = [
        readers[0].post("/en/logout/", HTTP_X_CSRFTOKEN=readers[0].cookies[settings.CSRF_COOKIE_NAME].value),
        log_out(readers[1]),
    ]
    # then
    assert crossed.status_code == 403
    assert [own[0].status_code, own[1]] == [302, 302]


def test_a_member_without_a_csrf_cookie_gets_one_with_the_page(assembly: StoredAssembly) -> None:
    # given: a member's session whose browser dropped the CSRF cookie
    browser = member(assembly, 0, enforce_csrf_checks=True)
    del browser.cookies[settings.CSRF_COOKIE_NAME]
    # when
    answer = browser.get(home_url(assembly.log))
    # then: Django makes a secret and sets its cookie; logging out with it works
    assert answer.status_code == 200 and settings.CSRF_COOKIE_NAME in answer.cookies
    assert log_out(browser) == 302


@pytest.mark.parametrize("cookie", ["bad", "A" * 64, "é" * 32])
def test_a_csrf_cookie_django_would_rewrite_is_rewritten_and_its_token_posts(
    assembly: StoredAssembly, cookie: str
) -> None:
    # given: a member whose browser holds a malformed CSRF cookie, or one in Django's old masked format
    browser = member(assembly, 0, enforce_csrf_checks=True)
    browser.cookies[settings.CSRF_COOKIE_NAME] = cookie
    # when
    answer = browser.get(home_url(assembly.log))
    # then: Django replaces a malformed one; the cookie then held posts the log-out form
    assert answer.status_code == 200
    if cookie == "bad" or not cookie.isascii():
        assert answer.cookies[settings.CSRF_COOKIE_NAME].value not in ("", cookie)
    assert log_out(browser) == 302


def test_a_form_sent_without_javascript_is_answered_with_what_it_needs(assembly: StoredAssembly) -> None:
    # given: a member whose browser runs no script: the log-out form goes without a token
    browser = member(assembly, 0, enforce_csrf_checks=True)
    # when
    english = browser.post("/en/logout/")
    spanish = browser.post("/es/salir/")
    # then: refused, saying what needs JavaScript, in the page's language
    assert english.status_code == spanish.status_code == 403
    assert "This form needs JavaScript" in english.content.decode()
    assert "Este formulario necesita JavaScript" in spanish.content.decode()
    assert "Log out" in home(browser, assembly.log)
