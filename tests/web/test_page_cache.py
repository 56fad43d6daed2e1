"""Rendered home pages kept per head (web/page_cache.py): a kept page follows every append, is never
given to another reader, follows the language and the clock, carries each session's own CSRF token, and
the pages kept stay within their bound."""

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from ayllu.actions.record import do_append, forget_replayed_state
from ayllu.core.ledger.record import make_body, sign_act
from ayllu.web import page_cache, views_assembly
from ayllu.web.page_cache import Kept, PageCache
from factories.records import FOUNDED_AT
from factories.stored import StoredAssembly, act, found_with_officers, log_in_as

HOUR = 3_600_000


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    page_cache.forget_pages()
    yield
    page_cache.forget_pages()


@pytest.fixture
def assembly(db: None) -> StoredAssembly:
    forget_replayed_state()
    return found_with_officers("Junta Vecinal Villa Esperanza")


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The member ids each home page was rendered for (a kept page served adds nothing)."""
    rendered: list[str] = []
    real = views_assembly.pages.get_member_home

    def counting(log: str, *, member: str, now: int) -> dict[str, Any]:
        rendered.append(member)
        return real(log, member=member, now=now)

    monkeypatch.setattr(views_assembly.pages, "get_member_home", counting)
    return rendered


def home(client: Client, log: str, language: str = "en") -> str:
    word = {"en": "assembly", "es": "asamblea"}[language]
    response = client.get(f"/{language}/{word}/{log}/")
    assert response.status_code == 200
    return response.content.decode()


def table(assembly: StoredAssembly, title: str, *, vis: str = "public") -> int:
    """The convenor tables a proposal; its words are for members only when `vis` is "members"."""
    content = {"matter": "ordinary", "title": title, "text": "Diez Bs.", "effect": {}}
    body = make_body(content, vis=vis)
    nonce = "t-" + re.sub("[^a-z0-9]", "-", title.lower())
    signed = sign_act(assembly.convenor, log=assembly.log, type="proposal.tabled", body=body, nonce=nonce)
    return do_append(assembly.log, signed_act=signed, body=body).seq


def test_a_kept_page_is_served_again_without_rendering(
    client: Client, assembly: StoredAssembly, renders: list[str]
) -> None:
    # given
    first = home(client, assembly.log)
    # when
    second = home(client, assembly.log)
    # then
    assert renders == [""]
    assert second == first


def test_the_page_changes_after_an_append(
    client: Client, assembly: StoredAssembly, renders: list[str]
) -> None:
    # given
    assert "Cuota para el tanque" not in home(client, assembly.log)
    # when
    table(assembly, "Cuota para el tanque")
    # then
    assert "Cuota para el tanque" in home(client, assembly.log)
    assert renders == ["", ""]


def test_two_members_each_see_their_own_page(assembly: StoredAssembly, renders: list[str]) -> None:
    # given
    first, second = Client(), Client()
    log_in_as(first, assembly.log, assembly.members[0])
    log_in_as(second, assembly.log, assembly.members[1])
    # when: each asks twice, in turn
    pages = [home(client, assembly.log) for client in (first, second, first, second)]
    # then
    assert all("Logged in · casa-1" in page for page in pages[0::2])
    assert all("Logged in · casa-2" in page for page in pages[1::2])
    assert len(renders) == 2 and len(set(renders)) == 2


def test_an_outsider_never_gets_a_members_kept_page(client: Client, assembly: StoredAssembly) -> None:
    # given: a proposal whose words are for members only, and a member's page kept
    table(assembly, "Reparto secreto del agua", vis="members")
    member = Client()
    log_in_as(member, assembly.log, assembly.members[0])
    assert "Reparto secreto del agua" in home(member, assembly.log)
    # when
    page = home(client, assembly.log)
    # then
    assert "Reparto secreto del agua" not in page
    assert "(members only)" in page and "Log out" not in page and "Are you a member?" in page


def test_a_member_who_logged_out_gets_the_outsiders_page(client: Client, assembly: StoredAssembly) -> None:
    # given
    table(assembly, "Reparto secreto del agua", vis="members")
    log_in_as(client, assembly.log, assembly.members[0])
    token = csrf_token(home(client, assembly.log))
    # when
    client.post("/en/logout/", {"csrfmiddlewaretoken": token})
    # then
    page = home(client, assembly.log)
    assert "Reparto secreto del agua" not in page and "Log out" not in page


def test_a_session_ended_in_another_browser_no_longer_gets_the_members_kept_page(
    assembly: StoredAssembly,
) -> None:
    # given: the same session in two browsers (its cookie copied), the member's page kept
    from django.conf import settings

    first, second = Client(), Client()
    log_in_as(first, assembly.log, assembly.members[0])
    second.cookies[settings.SESSION_COOKIE_NAME] = first.cookies[settings.SESSION_COOKIE_NAME].value
    assert all("Log out" in home(reader, assembly.log) for reader in (first, second, second))
    # when: it is ended in the first browser
    first.post("/en/logout/", {"csrfmiddlewaretoken": csrf_token(home(first, assembly.log))})
    # then: the second, still holding the cookie, reads as an outsider (the session is checked on the
    # node, not in the cookie)
    assert "Log out" not in home(second, assembly.log)


@pytest.mark.parametrize(
    ("change", "content"), [("member.left", {}), ("member.key_rotated", {"new_key": "new"})]
)
def test_a_member_who_left_or_replaced_their_key_loses_their_kept_page_at_once(
    assembly: StoredAssembly, change: str, content: dict[str, object]
) -> None:
    # given: a member's page kept (the key's standing remembered at this head)
    from factories.keys import keypair

    member = Client()
    log_in_as(member, assembly.log, assembly.members[2])
    assert all("Log out" in home(member, assembly.log) for _ in range(2))
    if change == "member.key_rotated":
        content = {"new_key": keypair(99).public}
    # when
    act(assembly, assembly.members[2], change, content)
    # then: the next request reads the record at its new head and ends the session
    assert "Log out" not in home(member, assembly.log)
    assert "Log out" not in home(member, assembly.log)


def test_an_idle_member_loses_their_kept_page(
    assembly: StoredAssembly, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: a member's page kept
    from django.conf import settings

    from ayllu.web import auth

    at = {"now": auth.now()}
    monkeypatch.setattr(auth, "now", lambda: at["now"])
    member = Client()
    log_in_as(member, assembly.log, assembly.members[0])
    assert all("Log out" in home(member, assembly.log) for _ in range(2))
    # when
    at["now"] += settings.AYLLU_SESSION_IDLE_SECONDS + 1
    # then
    assert "Log out" not in home(member, assembly.log)


def test_the_other_language_gets_its_own_page(client: Client, assembly: StoredAssembly) -> None:
    # given
    assert "The assembly now" in home(client, assembly.log, "en")
    # when
    page = home(client, assembly.log, "es")
    # then
    assert "La asamblea ahora" in page and "The assembly now" not in page


def test_a_kept_page_follows_the_clock(client: Client, monkeypatch: pytest.MonkeyPatch, db: None) -> None:
    # given: a meeting that starts in an hour, and its page kept
    forget_replayed_state()
    clock = {"now": FOUNDED_AT}
    monkeypatch.setattr(views_assembly, "now_ms", lambda: clock["now"])
    assembly = found_with_officers("Junta Vecinal Villa Esperanza")
    act(
        assembly,
        assembly.convenor,
        "meeting.convened",
        {"title": "Asamblea de mayo", "starts": FOUNDED_AT + HOUR},
    )
    assert "Starts" in home(client, assembly.log)
    # when: the hour passes, and nothing is appended
    clock["now"] += HOUR
    # then
    assert "Started" in home(client, assembly.log)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch, assembly: StoredAssembly) -> dict[str, int]:
    """The node's clock as the home view reads it, from just after the assembly was founded; tests
    move it."""
    now = {"now": views_assembly.now_ms()}
    monkeypatch.setattr(views_assembly, "now_ms", lambda: now["now"])
    return now


def test_a_kept_page_lasts_until_the_meeting_starts_and_changes_then(
    client: Client, assembly: StoredAssembly, renders: list[str], clock: dict[str, int], settings: Any
) -> None:
    # given: no cap in the way, a meeting that starts in an hour, its page rendered now
    settings.AYLLU_PAGE_CACHE_SECONDS = 24 * 3600
    starts = clock["now"] + HOUR
    act(assembly, assembly.convenor, "meeting.convened", {"title": "Asamblea de mayo", "starts": starts})
    assert "Starts" in home(client, assembly.log)
    # when: the last millisecond before it starts, then the start
    clock["now"] = starts - 1
    before, renders_before = home(client, assembly.log), len(renders)
    clock["now"] = starts
    after = home(client, assembly.log)
    # then: kept until the start, rendered again at the start
    assert "Starts" in before and renders_before == 1
    assert "Started" in after and len(renders) == 2


def test_a_members_question_leaves_their_page_once_its_deadline_passes(
    assembly: StoredAssembly, renders: list[str], clock: dict[str, int], settings: Any
) -> None:
    # given: a question open between meetings until an hour from now, on a member's kept page
    settings.AYLLU_PAGE_CACHE_SECONDS = 24 * 3600
    deadline = clock["now"] + HOUR
    proposal = table(assembly, "Cuota para el tanque")
    act(assembly, assembly.convenor, "question.opened", {"proposal": proposal, "deadline": deadline})
    member = Client()
    log_in_as(member, assembly.log, assembly.members[1])
    assert "Open until" in home(member, assembly.log)
    # when: at the deadline (still open to answer), then a millisecond after it
    clock["now"] = deadline
    at_deadline, renders_at_deadline = home(member, assembly.log), len(renders)
    clock["now"] = deadline + 1
    after = home(member, assembly.log)
    # then
    assert "Open until" in at_deadline and renders_at_deadline == 1
    assert "Open until" not in after and len(renders) == 2


def test_a_page_nothing_changes_by_the_clock_is_kept_for_at_most_the_cap(
    client: Client, assembly: StoredAssembly, renders: list[str], clock: dict[str, int]
) -> None:
    # given: nothing on the page depends on the clock; the page kept at the default cap
    rendered_at = clock["now"]
    home(client, assembly.log)
    # when
    clock["now"] = rendered_at + int(page_cache.DEFAULT_SECONDS * 1000) - 1
    home(client, assembly.log)
    renders_before = len(renders)
    clock["now"] = rendered_at + int(page_cache.DEFAULT_SECONDS * 1000)
    home(client, assembly.log)
    # then
    assert renders_before == 1 and len(renders) == 2


def csrf_token(page: str) -> str:
    found_with_officers = set(re.findall(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"', page))
    assert len(found_with_officers) == 1, found_with_officers
    return found_with_officers.pop()


def test_each_member_gets_a_valid_csrf_token_of_their_own(
    assembly: StoredAssembly, renders: list[str]
) -> None:
    # given: two sessions of the same member with CSRF checks on, the page rendered once for both
    readers = [Client(), Client()]
    for reader in readers:
        log_in_as(reader, assembly.log, assembly.members[0])
        reader.handler.enforce_csrf_checks = True
    tokens = [csrf_token(home(reader, assembly.log)) for reader in readers]
    crossed = readers[0].post("/en/logout/", {"csrfmiddlewaretoken": "x" * 64})
    # when: each logs out with the token its page carried
    answers = [
        reader.post("/en/logout/", {"csrfmiddlewaretoken": token})
        for reader, token in zip(readers, tokens, strict=True)
    ]
    # then
    assert len(renders) == 1
    assert page_cache.CSRF_PLACEHOLDER not in tokens and tokens[0] != tokens[1]
    assert crossed.status_code == 403
    assert [answer.status_code for answer in answers] == [302, 302]


def test_an_outsiders_page_carries_no_csrf_token_and_sets_no_cookie(
    client: Client, assembly: StoredAssembly, renders: list[str]
) -> None:
    # when: rendered, then served kept
    answers = [client.get(f"/en/assembly/{assembly.log}/") for _ in range(2)]
    # then
    assert renders == [""]
    for answer in answers:
        assert b"csrfmiddlewaretoken" not in answer.content
        assert page_cache.CSRF_PLACEHOLDER.encode() not in answer.content
        assert not answer.cookies


def test_a_members_token_is_masked_afresh_in_djangos_format_without_get_token(
    assembly: StoredAssembly, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: a logged-in member whose browser holds the CSRF cookie; Django's get_token not to be used
    from django.conf import settings
    from django.middleware.csrf import _unmask_cipher_token

    member = Client()
    log_in_as(member, assembly.log, assembly.members[0])
    secret = member.cookies[settings.CSRF_COOKIE_NAME].value
    monkeypatch.setattr(page_cache, "get_token", lambda request: pytest.fail("get_token was called"))
    # when: the page twice (rendered, then kept)
    answers = [member.get(f"/en/assembly/{assembly.log}/") for _ in range(2)]
    # then: Django's middleware unmasks each token to the cookie's secret (this fails if Django's
    # format changes); each answer has its own mask; the cookie the browser holds is not sent back
    # (logging in set it for a year), and the answers say they depend on cookies
    tokens = [csrf_token(answer.content.decode()) for answer in answers]
    assert [_unmask_cipher_token(token) for token in tokens] == [secret, secret]
    assert len(set(tokens)) == 2 and all(len(token) == 64 for token in tokens)
    assert all(settings.CSRF_COOKIE_NAME not in answer.cookies for answer in answers)
    assert all("Cookie" in answer.headers["Vary"] for answer in answers)


def test_masked_tokens_unmask_to_any_secret_and_leave_the_cookie_as_it_is() -> None:
    # given: secrets as Django makes them
    from django.http import HttpRequest
    from django.middleware.csrf import _get_new_csrf_string, _unmask_cipher_token

    for _ in range(200):
        request = HttpRequest()
        secret = request.META["CSRF_COOKIE"] = _get_new_csrf_string()
        # when
        token = page_cache.masked_token(request)
        # then
        assert len(token) == 64 and _unmask_cipher_token(token) == secret
        assert "CSRF_COOKIE_NEEDS_UPDATE" not in request.META


def test_random_bytes_that_would_bias_the_mask_are_dropped_and_drawn_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given: a first draw of bytes all at or above 248 (they would favour the first characters)
    import os

    from django.http import HttpRequest
    from django.middleware.csrf import _get_new_csrf_string, _unmask_cipher_token

    draws, real = [b"\xf8" * 64, b"\xff\x00" * 16, b"\x3e" * 32], os.urandom
    monkeypatch.setattr(page_cache.os, "urandom", lambda n: draws.pop(0) if draws else real(n))
    request = HttpRequest()
    secret = request.META["CSRF_COOKIE"] = _get_new_csrf_string()
    # when
    token = page_cache.masked_token(request)
    # then: 16 zeros kept from the second draw, 16 of 62 (0) from the third
    assert token[:32] == "a" * 32 and _unmask_cipher_token(token) == secret


def test_without_a_csrf_cookie_djangos_get_token_makes_the_secret_and_its_cookie(
    assembly: StoredAssembly,
) -> None:
    # given: a member's session whose browser dropped the CSRF cookie
    from django.conf import settings
    from django.middleware.csrf import _unmask_cipher_token

    member = Client()
    log_in_as(member, assembly.log, assembly.members[0])
    del member.cookies[settings.CSRF_COOKIE_NAME]
    # when
    answer = member.get(f"/en/assembly/{assembly.log}/")
    # then
    secret = answer.cookies[settings.CSRF_COOKIE_NAME].value
    assert _unmask_cipher_token(csrf_token(answer.content.decode())) == secret


def kept(size: int) -> Kept:
    return Kept(content=b"x" * size, content_type="text/html", csrf=False, rendered_at=0, expires_at=1)


def key(log: str, seq: int, reader: str = "") -> page_cache.Key:
    return ("home", log, seq, f"h{seq}", "en", reader, "/")


def test_the_cache_stays_within_its_bound_dropping_the_least_recently_used() -> None:
    # given
    pages = PageCache(max_bytes=1000)
    pages.put(key("a", 1, "m1"), kept(400))
    pages.put(key("a", 1, "m2"), kept(400))
    pages.get(key("a", 1, "m1"))
    # when
    pages.put(key("a", 1, "m3"), kept(400))
    # then
    assert pages.size <= 1000 and len(pages) == 2
    assert pages.get(key("a", 1, "m2")) is None
    assert pages.get(key("a", 1, "m1")) is not None


def test_a_records_pages_at_older_heads_are_dropped() -> None:
    # given
    pages = PageCache(max_bytes=10_000)
    pages.put(key("a", 1, "m1"), kept(100))
    pages.put(key("b", 1), kept(100))
    # when
    pages.put(key("a", 2), kept(100))
    pages.put(key("a", 1, "m2"), kept(100))  # rendered at the older head, finished late
    # then
    assert pages.get(key("a", 1, "m1")) is None and pages.get(key("a", 1, "m2")) is None
    assert pages.get(key("b", 1)) is not None and pages.size == 200


def test_a_page_larger_than_the_whole_cache_is_not_kept() -> None:
    # given
    pages = PageCache(max_bytes=100)
    # when
    pages.put(key("a", 1), kept(101))
    # then
    assert len(pages) == 0 and pages.size == 0
