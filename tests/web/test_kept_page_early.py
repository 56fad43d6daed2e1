"""Kept pages answered early (web/middleware.py KeptPageMiddleware): the same bytes and headers as the
whole way, and every check of the whole way still made on each request (who reads, their session's
end, a fresh CSRF token, the Host)."""

import re
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client

from ayllu.actions.record import forget_replayed_state
from ayllu.web import auth, page_cache
from factories.stored import StoredAssembly, act, found_with_officers, log_in_as

from .test_page_cache import csrf_token, table


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    page_cache.forget_pages()
    yield
    page_cache.forget_pages()


@pytest.fixture
def assembly(db: None) -> StoredAssembly:
    forget_replayed_state()
    return found_with_officers("Junta Vecinal Villa Esperanza")


def get_home(client: Client, log: str, language: str = "en") -> HttpResponse:
    word = {"en": "assembly", "es": "asamblea"}[language]
    response: HttpResponse = client.get(f"/{language}/{word}/{log}/")
    assert response.status_code == 200
    return response


def early(response: HttpResponse) -> bool:
    """Whether the answer was given before the URL was resolved (the whole way resolves it)."""
    return response.wsgi_request.resolver_match is None  # type: ignore[attr-defined]


def same_cookies(source: Client) -> Client:
    """Another browser holding `source`'s cookies (its own handler: it has learnt nothing yet)."""
    other = Client()
    for name, morsel in source.cookies.items():
        other.cookies[name] = morsel.value
    return other


def without_token(response: HttpResponse) -> bytes:
    return re.sub(rb'name="csrfmiddlewaretoken" value="[A-Za-z0-9]{64}"', b"TOKEN", response.content)


@pytest.mark.parametrize("reader", ["outsider", "outsider coming back", "member"])
@pytest.mark.parametrize("language", ["en", "es"])
def test_an_early_answer_has_the_bytes_and_headers_of_the_whole_way(
    assembly: StoredAssembly, reader: str, language: str
) -> None:
    # given: a first answer the whole way (the page rendered and kept)
    client = Client()
    if reader == "member":
        log_in_as(client, assembly.log, assembly.members[0])
    elif reader == "outsider coming back":
        client.get(f"/en/assembly/{assembly.log}/login/")  # a page with a form: the CSRF cookie
        assert settings.CSRF_COOKIE_NAME in client.cookies
    rendered = get_home(client, assembly.log, language)
    # when: the same page asked for again in this browser, and in another one with the same cookies
    again = get_home(client, assembly.log, language)
    whole_way = get_home(same_cookies(client), assembly.log, language)
    # then: the second answer was given early, the other browser's the whole way, from the kept page
    assert [early(r) for r in (rendered, again, whole_way)] == [False, True, False]
    for answer in (again, whole_way):
        assert list(answer.headers.items()) == list(rendered.headers.items())
        assert answer.cookies.output() == rendered.cookies.output() == ""
        assert without_token(answer) == without_token(rendered)
    assert again.headers["Content-Language"] == language
    assert again.headers["X-Frame-Options"] == "DENY" and "Content-Security-Policy" in again.headers
    assert int(again.headers["Content-Length"]) == len(again.content)
    if reader == "member":
        secret = client.cookies[settings.CSRF_COOKIE_NAME].value
        tokens = [csrf_token(r.content.decode()) for r in (rendered, again, whole_way)]
        assert len(set(tokens)) == 3  # masked afresh for each answer
        assert {_unmask_cipher_token(t) for t in tokens} == {secret}
        assert again.headers["Vary"] == "Cookie"
    else:
        assert b"csrfmiddlewaretoken" not in again.content


@pytest.mark.parametrize("cookie", ["bad", "A" * 64, "é" * 32])
def test_a_csrf_cookie_django_would_rewrite_or_refuse_goes_the_whole_way(
    assembly: StoredAssembly, cookie: str
) -> None:
    # given: the page kept and learnt by this browser
    client = Client()
    get_home(client, assembly.log)
    assert early(get_home(client, assembly.log))
    # when
    client.cookies[settings.CSRF_COOKIE_NAME] = cookie
    response = get_home(client, assembly.log)
    # then: CsrfViewMiddleware still sees it (a malformed one is replaced by a new cookie, as before)
    assert not early(response)
    if cookie == "bad" or not cookie.isascii():
        assert response.cookies[settings.CSRF_COOKIE_NAME].value not in ("", cookie)


def test_a_member_without_a_csrf_cookie_goes_the_whole_way_and_gets_one(assembly: StoredAssembly) -> None:
    # given: a member's page kept and learnt
    member = Client()
    log_in_as(member, assembly.log, assembly.members[0])
    get_home(member, assembly.log)
    assert early(get_home(member, assembly.log))
    # when
    del member.cookies[settings.CSRF_COOKIE_NAME]
    response = get_home(member, assembly.log)
    # then: Django makes the secret and sets its cookie, the token on the page is for it
    assert not early(response)
    secret = response.cookies[settings.CSRF_COOKIE_NAME].value
    assert _unmask_cipher_token(csrf_token(response.content.decode())) == secret


def test_an_outsider_never_gets_a_members_page_answered_early(assembly: StoredAssembly) -> None:
    # given: words for members only, and the member's page answered early in this browser
    table(assembly, "Reparto secreto del agua", vis="members")
    browser = Client()
    log_in_as(browser, assembly.log, assembly.members[0])
    get_home(browser, assembly.log)
    member_page = get_home(browser, assembly.log)
    assert early(member_page)
    assert b"Reparto secreto del agua" in member_page.content
    # when: the same browser without its session cookie, twice (the outsider's page learnt too)
    del browser.cookies[settings.SESSION_COOKIE_NAME]
    pages = [get_home(browser, assembly.log) for _ in range(2)]
    # then
    assert [early(page) for page in pages] == [False, True]
    for page in pages:
        assert b"Reparto secreto del agua" not in page.content and b"Log out" not in page.content


def test_a_session_ended_in_another_browser_ends_the_early_answers(assembly: StoredAssembly) -> None:
    # given: the same session in two browsers, the second answered early
    first = Client()
    log_in_as(first, assembly.log, assembly.members[0])
    second = same_cookies(first)
    get_home(second, assembly.log)
    page = get_home(second, assembly.log)
    assert early(page) and b"Log out" in page.content
    # when
    first.post(
        "/en/logout/", {"csrfmiddlewaretoken": csrf_token(get_home(first, assembly.log).content.decode())}
    )
    # then
    assert b"Log out" not in get_home(second, assembly.log).content


def test_a_member_who_left_is_not_answered_early_as_a_member(assembly: StoredAssembly) -> None:
    # given
    member = Client()
    log_in_as(member, assembly.log, assembly.members[2])
    get_home(member, assembly.log)
    page = get_home(member, assembly.log)
    assert early(page) and b"Log out" in page.content
    # when
    act(assembly, assembly.members[2], "member.left", {})
    # then
    assert all(b"Log out" not in get_home(member, assembly.log).content for _ in range(2))


def test_idle_and_absolute_timeouts_end_the_early_answers(
    assembly: StoredAssembly, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: two members answered early, one idle, one who keeps reading
    at = {"now": auth.now()}
    monkeypatch.setattr(auth, "now", lambda: at["now"])
    idle, busy = Client(), Client()
    log_in_as(idle, assembly.log, assembly.members[0])
    log_in_as(busy, assembly.log, assembly.members[1])
    for reader in (idle, busy):
        get_home(reader, assembly.log)
        assert early(get_home(reader, assembly.log))
    # when: the idle one comes back after the idle timeout
    at["now"] += settings.AYLLU_SESSION_IDLE_SECONDS + 1
    # then
    assert b"Log out" not in get_home(idle, assembly.log).content
    # when: the busy one keeps reading every half idle timeout (start counted from its last read)
    at["now"] -= settings.AYLLU_SESSION_IDLE_SECONDS + 1
    step = settings.AYLLU_SESSION_IDLE_SECONDS // 2
    elapsed = 0
    while elapsed + step <= settings.AYLLU_SESSION_ABSOLUTE_SECONDS:
        at["now"] += step
        elapsed += step
        response = get_home(busy, assembly.log)
        assert early(response) and b"Log out" in response.content, elapsed
    at["now"] += step
    # then: past the absolute limit it reads as an outsider
    assert b"Log out" not in get_home(busy, assembly.log).content


def test_a_token_answered_early_is_good_for_its_own_session_only(assembly: StoredAssembly) -> None:
    # given: two sessions with CSRF checks on, each answered early
    readers = [Client(), Client()]
    tokens = []
    for reader in readers:
        log_in_as(reader, assembly.log, assembly.members[0])
        reader.handler.enforce_csrf_checks = True
        get_home(reader, assembly.log)
        page = get_home(reader, assembly.log)
        assert early(page)
        tokens.append(csrf_token(page.content.decode()))
    # when
    crossed = readers[0].post("/en/logout/", {"csrfmiddlewaretoken": tokens[1]})
    answers = [
        reader.post("/en/logout/", {"csrfmiddlewaretoken": token})
        for reader, token in zip(readers, tokens, strict=True)
    ]
    # then
    assert crossed.status_code == 403
    assert [answer.status_code for answer in answers] == [302, 302]


def test_a_host_not_allowed_is_refused_before_an_early_answer(assembly: StoredAssembly) -> None:
    # given
    client = Client()
    get_home(client, assembly.log)
    assert early(get_home(client, assembly.log))
    # when
    response = client.get(f"/en/assembly/{assembly.log}/", HTTP_HOST="evil.example")
    # then
    assert response.status_code == 400


def test_other_methods_and_query_strings_go_the_whole_way(assembly: StoredAssembly) -> None:
    # given
    client = Client()
    get_home(client, assembly.log)
    # when
    head = client.head(f"/en/assembly/{assembly.log}/")
    query = client.get(f"/en/assembly/{assembly.log}/?x=1")
    # then
    assert head.status_code == 405 and not early(head)
    assert query.status_code == 200 and not early(query)
