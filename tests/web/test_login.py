"""Logging in with the device key: a signed one-time challenge, membership from the record, no password."""

from collections.abc import Iterator
from importlib import import_module
from typing import Any

import pytest
from django.test import Client

from ayllu.actions.record import node_keypair
from ayllu.core.ledger.canonical import canonical_bytes
from ayllu.core.ledger.keys import ACT_CONTEXT, LOGIN_CONTEXT, Keypair
from ayllu.queries.members import forget_member_states
from ayllu.web import auth
from factories.keys import keypair
from factories.stored import StoredAssembly, act, found

ORIGIN = "http://testserver"
MEMBER = keypair(1)
OUTSIDER = keypair(9)


@pytest.fixture
def assembly(db: None) -> StoredAssembly:
    """An assembly founded by keypair(1), keypair(2) and keypair(3)."""
    return found("Junta Vecinal Villa Esperanza", members=(keypair(1), keypair(2), keypair(3)))


@pytest.fixture(autouse=True)
def fresh_counters() -> Iterator[None]:
    # The login rate counters are rows of the test database, rolled back after each test.
    forget_member_states()
    yield


class Clock:
    """The login module's clock, moved by the test."""

    def __init__(self) -> None:
        self.at = 1_800_000_000.0

    def __call__(self) -> float:
        return self.at

    def advance(self, seconds: float) -> None:
        self.at += seconds


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    moved = Clock()
    monkeypatch.setattr(auth, "now", moved)
    return moved


def login_url(log: str) -> str:
    return f"/en/assembly/{log}/login/"


def get_challenge(client: Client, log: str, *, language: str = "en") -> dict[str, Any]:
    path = (
        f"/{language}/assembly/{log}/login/challenge/"
        if language == "en"
        else f"/es/asamblea/{log}/entrar/desafio/"
    )
    response = client.post(path)
    assert response.status_code == 200, response.content
    return response.json()


def signed_login(
    key: Keypair, issued: dict[str, Any], *, context: bytes = LOGIN_CONTEXT, **changes: Any
) -> dict[str, str]:
    statement = {k: issued[k] for k in ("v", "node", "log", "challenge", "origin")} | changes
    return {
        "key": key.public,
        "challenge": issued["challenge"],
        "signature": key.sign(context, canonical_bytes(statement)),
    }


def post_login(client: Client, log: str, payload: dict[str, str], *, language: str = "en") -> Any:
    path = login_url(log) if language == "en" else f"/es/asamblea/{log}/entrar/"
    return client.post(path, payload, content_type="application/json")


def logged_in(client: Client, log: str) -> bool:
    return "You are logged in with this device." in client.get(login_url(log)).content.decode()


def test_challenge_names_this_node_the_assembly_and_the_origin(
    client: Client, assembly: StoredAssembly
) -> None:
    # when
    issued = get_challenge(client, assembly.log)
    # then
    assert issued["v"] == 1
    assert issued["node"] == node_keypair().public
    assert issued["log"] == assembly.log
    assert issued["origin"] == ORIGIN
    assert len(issued["challenge"]) == 64
    assert issued["challenge"] != get_challenge(client, assembly.log)["challenge"]


def test_member_logs_in_with_a_good_signature_and_gets_a_new_session(
    client: Client, assembly: StoredAssembly
) -> None:
    # given
    issued = get_challenge(client, assembly.log)
    before = client.session.session_key
    # when
    response = post_login(client, assembly.log, signed_login(MEMBER, issued))
    # then
    assert response.status_code == 200
    assert response.json() == {"ok": True, "next": f"/en/assembly/{assembly.log}/"}  # "Now", not the record
    after = client.session.session_key
    assert after and after != before
    assert client.session[auth.SESSION_KEY] == MEMBER.public
    assert client.session[auth.SESSION_LOG] == assembly.log
    assert auth.SESSION_CHALLENGE not in client.session
    assert logged_in(client, assembly.log)


def test_old_session_cookie_is_worth_nothing_after_login(assembly: StoredAssembly) -> None:
    # given: an attacker who planted or read the session cookie before the member logged in
    member, attacker = Client(), Client()
    issued = get_challenge(member, assembly.log)
    attacker.cookies["sessionid"] = member.cookies["sessionid"].value
    # when
    assert post_login(member, assembly.log, signed_login(MEMBER, issued)).status_code == 200
    # then
    assert logged_in(member, assembly.log)
    assert not logged_in(attacker, assembly.log)


def test_key_of_a_non_member_is_refused(client: Client, assembly: StoredAssembly) -> None:
    # given
    issued = get_challenge(client, assembly.log)
    # when
    response = post_login(client, assembly.log, signed_login(OUTSIDER, issued))
    # then
    assert response.status_code == 403
    assert response.json() == {
        "code": "login_not_a_member",
        "message": "This device's key does not belong to a current member of the assembly.",
        "detail": {"standing": "unknown"},
    }
    assert not logged_in(client, assembly.log)


def test_member_of_another_assembly_cannot_log_in_here(client: Client, assembly: StoredAssembly) -> None:
    # given
    other = found("Cooperativa de Agua Senkata", members=(keypair(5), keypair(6))).log
    stranger = keypair(5)
    # when: a correct login statement for this assembly, and one made for the other assembly
    here = post_login(client, assembly.log, signed_login(stranger, get_challenge(client, assembly.log)))
    issued = get_challenge(client, assembly.log)
    borrowed = post_login(client, assembly.log, signed_login(stranger, issued, log=other))
    # then
    assert here.json()["code"] == "login_not_a_member"
    assert borrowed.json()["code"] == "login_bad_signature"
    assert not logged_in(client, assembly.log)
    assert post_login(client, other, signed_login(stranger, get_challenge(client, other))).status_code == 200


def test_replayed_challenge_is_refused(client: Client, assembly: StoredAssembly) -> None:
    # given: a login that worked, captured on the wire
    issued = get_challenge(client, assembly.log)
    captured = signed_login(MEMBER, issued)
    assert post_login(client, assembly.log, captured).status_code == 200
    other = Client()
    get_challenge(other, assembly.log)
    # when: it is sent again, in the same browser and in another one holding a challenge of its own
    again = post_login(client, assembly.log, captured)
    elsewhere = post_login(other, assembly.log, captured)
    # then
    assert again.status_code == 400 and again.json()["code"] == "login_challenge_unknown"
    assert elsewhere.status_code == 400 and elsewhere.json()["code"] == "login_challenge_unknown"
    assert not logged_in(other, assembly.log)


def test_a_failed_attempt_uses_up_the_challenge(client: Client, assembly: StoredAssembly) -> None:
    # given
    issued = get_challenge(client, assembly.log)
    assert post_login(client, assembly.log, signed_login(OUTSIDER, issued)).status_code == 403
    # when
    response = post_login(client, assembly.log, signed_login(MEMBER, issued))
    # then
    assert response.json()["code"] == "login_challenge_unknown"


@pytest.mark.parametrize(
    ("context", "changes"),
    [
        (ACT_CONTEXT, {}),
        (b"", {}),
        (LOGIN_CONTEXT, {"origin": "http://evil.example"}),
        (LOGIN_CONTEXT, {"node": "0" * 64}),
        (LOGIN_CONTEXT, {"v": 2}),
    ],
    ids=["act-context", "no-context", "other-origin", "other-node", "other-version"],
)
def test_signature_over_anything_but_this_login_is_refused(
    client: Client, assembly: StoredAssembly, context: bytes, changes: dict[str, Any]
) -> None:
    # given
    issued = get_challenge(client, assembly.log)
    # when
    response = post_login(client, assembly.log, signed_login(MEMBER, issued, context=context, **changes))
    # then
    assert response.status_code == 403
    assert response.json()["code"] == "login_bad_signature"
    assert not logged_in(client, assembly.log)


def test_expired_challenge_is_refused(client: Client, assembly: StoredAssembly, clock: Clock) -> None:
    # given
    issued = get_challenge(client, assembly.log)
    clock.advance(auth.challenge_lifetime() + 1)
    # when
    response = post_login(client, assembly.log, signed_login(MEMBER, issued))
    # then
    assert response.status_code == 400
    assert response.json()["code"] == "login_challenge_expired"
    assert not logged_in(client, assembly.log)


def test_challenge_still_good_just_before_it_expires(
    client: Client, assembly: StoredAssembly, clock: Clock
) -> None:
    # given
    issued = get_challenge(client, assembly.log)
    clock.advance(auth.challenge_lifetime() - 1)
    # when
    response = post_login(client, assembly.log, signed_login(MEMBER, issued))
    # then
    assert response.status_code == 200


def test_refusals_are_translated_into_spanish(client: Client, assembly: StoredAssembly) -> None:
    # given
    issued = get_challenge(client, assembly.log, language="es")
    # when
    response = post_login(client, assembly.log, signed_login(OUTSIDER, issued), language="es")
    # then
    assert response.json()["code"] == "login_not_a_member"
    assert (
        response.json()["message"]
        == "La clave de este dispositivo no pertenece a ningún miembro actual de la asamblea."
    )


@pytest.mark.parametrize(
    "payload",
    [{}, {"key": "x", "challenge": "y", "signature": "z"}, {"key": 1, "challenge": [], "signature": None}],
)
def test_malformed_attempts_are_refused(
    client: Client, assembly: StoredAssembly, payload: dict[str, Any]
) -> None:
    # given
    get_challenge(client, assembly.log)
    # when
    response = post_login(client, assembly.log, payload)
    # then
    assert response.status_code == 400
    assert response.json()["code"] == "login_malformed"


def fake_login(key: Keypair) -> dict[str, str]:
    """A well-formed attempt naming `key` that proves nothing: no challenge issued, no real signature."""
    return {"key": key.public, "challenge": "0" * 64, "signature": "0" * 128}


def test_failures_from_many_addresses_do_not_lock_a_member_out(
    client: Client, assembly: StoredAssembly, settings
) -> None:
    # given: someone naming a member's key from many addresses, more times than the per-key limit
    for n in range(settings.AYLLU_LOGIN_ATTEMPTS_PER_KEY + 5):
        refused = post_login(Client(REMOTE_ADDR=f"10.0.0.{n}"), assembly.log, fake_login(MEMBER))
        assert refused.status_code == 400
    # when: the member signs from their own address
    response = post_login(client, assembly.log, signed_login(MEMBER, get_challenge(client, assembly.log)))
    # then
    assert response.status_code == 200
    assert logged_in(client, assembly.log)


def test_an_address_over_its_limit_counts_nothing_against_the_key(
    client: Client, assembly: StoredAssembly, settings
) -> None:
    # given: one address naming a member's key far past its own limit
    settings.AYLLU_LOGIN_ATTEMPTS_PER_ADDRESS = 3
    attacker = Client(REMOTE_ADDR="198.51.100.9")
    answers = [post_login(attacker, assembly.log, fake_login(MEMBER)).status_code for _ in range(30)]
    assert answers == [400] * 3 + [429] * 27
    # when: the member signs from their own address
    response = post_login(client, assembly.log, signed_login(MEMBER, get_challenge(client, assembly.log)))
    # then
    assert response.status_code == 200
    assert logged_in(client, assembly.log)


def test_failures_on_a_key_hold_back_that_address_for_that_key_only(
    client: Client, assembly: StoredAssembly, settings
) -> None:
    # given: one address failing on a key as many times as the per-key limit allows
    for _ in range(settings.AYLLU_LOGIN_ATTEMPTS_PER_KEY):
        assert post_login(client, assembly.log, fake_login(MEMBER)).status_code == 400
    # when: the same address then signs for that key
    response = post_login(client, assembly.log, signed_login(MEMBER, get_challenge(client, assembly.log)))
    # then: it waits, though another key from that address and that key from elsewhere do not
    assert response.status_code == 429
    assert response.json()["code"] == "login_rate_limited"
    assert response.json()["detail"] == {"seconds": settings.AYLLU_LOGIN_WINDOW_SECONDS}
    other = keypair(2)
    assert (
        post_login(client, assembly.log, signed_login(other, get_challenge(client, assembly.log))).status_code
        == 200
    )
    elsewhere = Client(REMOTE_ADDR="192.0.2.7")
    assert (
        post_login(
            elsewhere, assembly.log, signed_login(MEMBER, get_challenge(elsewhere, assembly.log))
        ).status_code
        == 200
    )


def test_good_logins_are_not_counted_as_failures(client: Client, assembly: StoredAssembly, settings) -> None:
    # given: a member logging in again and again from one address
    settings.AYLLU_LOGIN_ATTEMPTS_PER_KEY = 2
    for _ in range(4):
        issued = get_challenge(client, assembly.log)
        assert post_login(client, assembly.log, signed_login(MEMBER, issued)).status_code == 200
    # when / then: each one logs in
    assert logged_in(client, assembly.log)


def test_attempts_per_address_are_limited(client: Client, assembly: StoredAssembly, settings) -> None:
    # given: one address trying many keys
    settings.AYLLU_LOGIN_ATTEMPTS_PER_ADDRESS = 3
    for n in range(3):
        issued = get_challenge(client, assembly.log)
        assert post_login(client, assembly.log, signed_login(keypair(20 + n), issued)).status_code == 403
    issued = get_challenge(client, assembly.log)
    # when
    response = post_login(client, assembly.log, signed_login(MEMBER, issued))
    # then
    assert response.status_code == 429
    # and another address is not held back
    elsewhere = Client(REMOTE_ADDR="192.0.2.7")
    assert (
        post_login(
            elsewhere, assembly.log, signed_login(MEMBER, get_challenge(elsewhere, assembly.log))
        ).status_code
        == 200
    )


def test_challenges_per_address_are_limited(client: Client, assembly: StoredAssembly, settings) -> None:
    # given: one address asking for challenge after challenge (each one is stored in a session)
    settings.AYLLU_LOGIN_CHALLENGES_PER_ADDRESS = 3
    for _ in range(3):
        get_challenge(Client(), assembly.log)
    # when
    response = Client().post(f"/en/assembly/{assembly.log}/login/challenge/")
    # then
    assert response.status_code == 429
    assert response.json()["code"] == "login_rate_limited"
    assert (
        Client(REMOTE_ADDR="192.0.2.8").post(f"/en/assembly/{assembly.log}/login/challenge/").status_code
        == 200
    )


def test_limits_reset_after_the_window(
    client: Client, assembly: StoredAssembly, clock: Clock, settings
) -> None:
    # given
    settings.AYLLU_LOGIN_ATTEMPTS_PER_ADDRESS = 1
    post_login(client, assembly.log, signed_login(OUTSIDER, get_challenge(client, assembly.log)))
    assert (
        post_login(
            client, assembly.log, signed_login(MEMBER, get_challenge(client, assembly.log))
        ).status_code
        == 429
    )
    # when
    clock.advance(settings.AYLLU_LOGIN_WINDOW_SECONDS)
    # then
    assert (
        post_login(
            client, assembly.log, signed_login(MEMBER, get_challenge(client, assembly.log))
        ).status_code
        == 200
    )


def log_in(client: Client, log: str) -> None:
    assert post_login(client, log, signed_login(MEMBER, get_challenge(client, log))).status_code == 200


def test_idle_session_ends(client: Client, assembly: StoredAssembly, clock: Clock, settings) -> None:
    # given
    log_in(client, assembly.log)
    # when
    clock.advance(settings.AYLLU_SESSION_IDLE_SECONDS + 1)
    # then
    assert not logged_in(client, assembly.log)


def stored_session(client: Client) -> dict[str, Any]:
    """The session as stored on the node (not as the client remembers it)."""
    from django.conf import settings

    store = import_module(settings.SESSION_ENGINE).SessionStore
    return dict(store(client.cookies[settings.SESSION_COOKIE_NAME].value).load())


def test_the_time_last_seen_is_written_back_at_most_once_a_granularity(
    client: Client, assembly: StoredAssembly, clock: Clock
) -> None:
    # given: a member logged in; their session as stored
    log_in(client, assembly.log)
    logged_in_at = stored_session(client)[auth.SESSION_SEEN]
    # when: a page read within the granularity, then one just past it
    clock.advance(auth.SEEN_GRANULARITY)
    assert logged_in(client, assembly.log)
    within = stored_session(client)[auth.SESSION_SEEN]
    clock.advance(1)
    assert logged_in(client, assembly.log)
    # then: only the second wrote the time back
    assert within == logged_in_at
    assert stored_session(client)[auth.SESSION_SEEN] == logged_in_at + auth.SEEN_GRANULARITY + 1


def test_the_idle_timeout_counts_from_the_stored_time_so_it_may_end_early_never_late(
    client: Client, assembly: StoredAssembly, clock: Clock, settings
) -> None:
    # given: a member logged in, who read a page within the granularity (not written back)
    log_in(client, assembly.log)
    clock.advance(auth.SEEN_GRANULARITY)
    assert logged_in(client, assembly.log)
    # when: idle for the idle limit counted from logging in, though less counted from that page
    clock.advance(settings.AYLLU_SESSION_IDLE_SECONDS - auth.SEEN_GRANULARITY + 1)
    # then
    assert not logged_in(client, assembly.log)


def test_logging_in_sets_a_new_csrf_cookie(client: Client, assembly: StoredAssembly) -> None:
    # given: a browser holding a CSRF cookie from before logging in (assembly pages rely on this: a
    # logged-in member's cookie is never older than their session, so the pages do not renew it)
    from django.conf import settings

    get_challenge(client, assembly.log)
    client.get(login_url(assembly.log))
    before = client.cookies[settings.CSRF_COOKIE_NAME].value
    # when
    response = post_login(client, assembly.log, signed_login(MEMBER, get_challenge(client, assembly.log)))
    # then
    assert response.cookies[settings.CSRF_COOKIE_NAME].value not in ("", before)


def test_active_session_ends_at_the_absolute_limit(
    client: Client, assembly: StoredAssembly, clock: Clock, settings
) -> None:
    # given: a member who keeps using the node, never idle for long
    log_in(client, assembly.log)
    step = settings.AYLLU_SESSION_IDLE_SECONDS // 2
    elapsed = 0
    while elapsed + step <= settings.AYLLU_SESSION_ABSOLUTE_SECONDS:
        clock.advance(step)
        elapsed += step
        assert logged_in(client, assembly.log), elapsed
    # when
    clock.advance(step)
    # then
    assert not logged_in(client, assembly.log)


def test_logout_ends_the_session(client: Client, assembly: StoredAssembly) -> None:
    # given
    log_in(client, assembly.log)
    # when
    response = client.post("/en/logout/")
    # then
    assert response.status_code == 302 and response.headers["Location"] == "/en/"
    assert not logged_in(client, assembly.log)


def test_login_and_logout_need_the_csrf_token(assembly: StoredAssembly) -> None:
    # given
    browser = Client(enforce_csrf_checks=True)
    # when
    challenge = browser.post(f"/en/assembly/{assembly.log}/login/challenge/")
    logout = browser.post("/en/logout/")
    # then
    assert challenge.status_code == 403
    assert logout.status_code == 403


def test_login_page_reads_in_spanish_under_a_spanish_url(client: Client, assembly: StoredAssembly) -> None:
    # when
    response = client.get(f"/es/asamblea/{assembly.log}/entrar/")
    # then
    page = response.content.decode()
    assert response.status_code == 200
    assert "Entrar con este dispositivo" in page
    assert "No hay contraseña" in page
    assert f'data-challenge-url="/es/asamblea/{assembly.log}/entrar/desafio/"' in page


def test_session_ends_when_the_record_replaces_the_key(client: Client, assembly: StoredAssembly) -> None:
    # given: a member logged in, who then moves to a new key (say, from another device)
    log_in(client, assembly.log)
    assert logged_in(client, assembly.log)
    # when
    act(assembly, MEMBER, "member.key_rotated", {"new_key": keypair(7).public})
    # then
    assert not logged_in(client, assembly.log)
    issued = get_challenge(client, assembly.log)
    response = post_login(client, assembly.log, signed_login(MEMBER, issued))
    assert response.json()["detail"] == {"standing": "replaced"}


def test_session_ends_when_the_member_leaves(client: Client, assembly: StoredAssembly) -> None:
    # given
    log_in(client, assembly.log)
    # when
    act(assembly, MEMBER, "member.left", {})
    # then
    assert not logged_in(client, assembly.log)
    issued = get_challenge(client, assembly.log)
    assert post_login(client, assembly.log, signed_login(MEMBER, issued)).json()["detail"] == {
        "standing": "former"
    }


def test_the_login_page_tells_a_refused_newcomer_or_a_member_with_a_new_phone_what_to_do(
    client: Client, assembly: StoredAssembly
) -> None:
    # when someone not logged in opens the login page on a Spanish phone
    html = client.get(f"/es/asamblea/{assembly.log}/entrar/").content.decode()
    # then, beside "only members can log in", it says where a newcomer and a member with a new phone go
    assert "¿Recién llega a la asamblea? Pida a un miembro un enlace de invitación." in html
    assert f'href="/es/asamblea/{assembly.log}/dispositivo-perdido/">Perdí mi dispositivo</a>' in html
