"""Logging in with the device key: a one-time challenge signed on the member's device, no password.

1. The node issues a random challenge, kept in the visitor's session for `AYLLU_LOGIN_CHALLENGE_SECONDS`.
2. The browser signs LOGIN_CONTEXT || canonical({"v": 1, "node", "log", "challenge", "origin"}) with the
   key it keeps for that assembly (static/web/js/device-key.js). The node rebuilds that statement from
   what it knows itself (its own key, the record asked for, the challenge in the session, the origin it
   is served at), so a signature made for another node, assembly, site or moment never verifies.
3. The node checks the signature and that the key is a current member's key by replaying the record
   (`queries.members`): membership comes only from the record, never from a table of accounts.
4. The session is replaced by a new one holding the member's key and the log. Every later request
   re-checks the record, so a key replaced or a member who left is logged out at once.

Attempts are counted per client address, and failed ones per key and address, in the database
(actions.rate_limits), so the limits hold across every worker process of the node, on SQLite and
PostgreSQL alike (decision 0004). Failures are never counted per key alone: anyone can name a member's
key, and that must not lock the member out.
"""

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, cast

from django.conf import settings
from django.http import HttpRequest
from django.middleware.csrf import rotate_token

from ayllu.actions.rate_limits import do_count_attempt, get_attempts
from ayllu.addresses import client_address as client_address  # pages ask auth for it, as before
from ayllu.core.errors import DomainError
from ayllu.core.ledger.canonical import canonical_bytes
from ayllu.core.ledger.keys import (
    HEX_KEY_LENGTH,
    HEX_SIGNATURE_LENGTH,
    LOGIN_CONTEXT,
    is_hex,
    verify_signature,
)
from ayllu.core.ledger.record import HASH_LENGTH
from ayllu.queries.federation_members import is_federation
from ayllu.queries.members import KeyStanding, get_key_standing
from ayllu.queries.replayed import get_head, one_head
from ayllu.storage import clock
from ayllu.storage.errors import RecordNotFound

LOGIN_VERSION = 1
CHALLENGE_BYTES = 32
SESSION_CHALLENGE = "ayllu_login_challenge"
SESSION_KEY = "ayllu_member_key"
SESSION_LOG = "ayllu_member_log"
SESSION_STARTED = "ayllu_login_started"
SESSION_SEEN = "ayllu_login_seen"
# The last-seen time is written back at most this often, so reading pages does not write every time.
SEEN_GRANULARITY = 60


def now() -> float:
    """Seconds since the epoch, from the node's clock (tests of login move this one)."""
    return clock.now_s()


class LoginError(DomainError):
    code = "login_error"


class LoginMalformed(LoginError):
    code = "login_malformed"


class ChallengeUnknown(LoginError):
    """No challenge of this session matches: never issued here, already used, or for another record."""

    code = "login_challenge_unknown"


class ChallengeExpired(LoginError):
    code = "login_challenge_expired"


class LoginBadSignature(LoginError):
    code = "login_bad_signature"
    status = 403


class LoginNotAMember(LoginError):
    code = "login_not_a_member"
    status = 403


class LoginRateLimited(LoginError):
    code = "login_rate_limited"
    status = 429


class LoginRequired(LoginError):
    code = "login_required"
    status = 403


@dataclass(frozen=True, slots=True)
class Login:
    """Who this session belongs to: a member's key in one assembly's record."""

    key: str
    log: str


def node_origin(request: HttpRequest) -> str:
    """The origin this node is reached at, as the browser names it (scheme://host[:port])."""
    return f"{request.scheme}://{request.get_host()}"


def login_statement(*, node: str, log: str, challenge: str, origin: str) -> dict[str, Any]:
    """The statement a member's device signs to log in."""
    return {"v": LOGIN_VERSION, "node": node, "log": log, "challenge": challenge, "origin": origin}


def login_signing_bytes(*, node: str, log: str, challenge: str, origin: str) -> bytes:
    """The exact bytes signed to log in: LOGIN_CONTEXT || canonical(statement)."""
    statement = login_statement(node=node, log=log, challenge=challenge, origin=origin)
    return LOGIN_CONTEXT + canonical_bytes(statement)


# --- challenges ----------------------------------------------------------------------------------
def issue_challenge(request: HttpRequest, *, log: str) -> str:
    """Make a fresh one-time challenge for logging in to `log`; it replaces any earlier one."""
    challenge = secrets.token_hex(CHALLENGE_BYTES)
    request.session[SESSION_CHALLENGE] = {"value": challenge, "log": log, "issued": now()}
    return challenge


def challenge_lifetime() -> int:
    """How many seconds a login challenge stays good."""
    return int(settings.AYLLU_LOGIN_CHALLENGE_SECONDS)


def _take_challenge(request: HttpRequest, *, log: str, challenge: str) -> None:
    # Taken out whatever happens next: a challenge is good for one attempt only.
    issued = request.session.pop(SESSION_CHALLENGE, None)
    if not isinstance(issued, dict) or issued.get("log") != log:
        raise ChallengeUnknown()
    if not secrets.compare_digest(str(issued.get("value", "")), challenge):
        raise ChallengeUnknown()
    if now() - float(issued.get("issued", 0)) > challenge_lifetime():
        raise ChallengeExpired(seconds=challenge_lifetime())


# --- rate limits ---------------------------------------------------------------------------------
def _window() -> int:
    return int(settings.AYLLU_LOGIN_WINDOW_SECONDS)


def _count(bucket: str) -> int:
    return do_count_attempt(f"login-{bucket}", moment=now(), window=_window())


def _failures_bucket(request: HttpRequest, *, key: str) -> str:
    # Per key and address: failures sent from elsewhere never hold back the member's own address.
    return f"login-fail:{key}:{client_address(request)}"


def check_login_rate(request: HttpRequest, *, key: str) -> None:
    """Count one attempt for the client's address; raise once it, or its failures on `key`, are over a limit.

    An address over its own limit is refused before anything is counted for the key, and a key's
    failures are counted per address, so nobody can lock a member out by naming their key.
    """
    if _count(f"ip:{client_address(request)}") > settings.AYLLU_LOGIN_ATTEMPTS_PER_ADDRESS:
        raise LoginRateLimited(seconds=settings.AYLLU_LOGIN_WINDOW_SECONDS)
    failures = get_attempts(_failures_bucket(request, key=key), moment=now(), window=_window())
    if failures >= settings.AYLLU_LOGIN_ATTEMPTS_PER_KEY:
        raise LoginRateLimited(seconds=settings.AYLLU_LOGIN_WINDOW_SECONDS)


def _count_failure(request: HttpRequest, *, key: str) -> None:
    do_count_attempt(_failures_bucket(request, key=key), moment=now(), window=_window())


def check_challenge_rate(request: HttpRequest) -> None:
    """Count one challenge for the client's address; raise once it asked for more than its limit.

    Each challenge is written to a session, so unlimited challenges would let anyone fill the database.
    """
    if _count(f"challenge:{client_address(request)}") > settings.AYLLU_LOGIN_CHALLENGES_PER_ADDRESS:
        raise LoginRateLimited(seconds=settings.AYLLU_LOGIN_WINDOW_SECONDS)


# --- logging in and out --------------------------------------------------------------------------
def check_login(
    request: HttpRequest, *, node: str, log: str, key: str, challenge: str, signature: str
) -> Login:
    """Check one login attempt (rate, challenge, signature, membership); raise a LoginError if it fails."""
    well_formed = (
        is_hex(log, HASH_LENGTH)
        and is_hex(key, HEX_KEY_LENGTH)
        and is_hex(challenge, 2 * CHALLENGE_BYTES)
        and is_hex(signature, HEX_SIGNATURE_LENGTH)
    )
    if not well_formed:
        request.session.pop(SESSION_CHALLENGE, None)
        raise LoginMalformed()
    check_login_rate(request, key=key)
    try:
        _take_challenge(request, log=log, challenge=challenge)
    except LoginError:
        _count_failure(request, key=key)
        raise
    statement = login_statement(node=node, log=log, challenge=challenge, origin=node_origin(request))
    if not verify_signature(key, LOGIN_CONTEXT, canonical_bytes(statement), signature):
        _count_failure(request, key=key)
        raise LoginBadSignature()
    try:
        standing = get_key_standing(log, key=key)
    except RecordNotFound:
        raise LoginNotAMember(standing=KeyStanding.UNKNOWN.value) from None
    if standing not in (KeyStanding.MEMBER, KeyStanding.SUSPENDED):
        raise LoginNotAMember(standing=standing.value)
    return Login(key=key, log=log)


def do_login(request: HttpRequest, login: Login) -> None:
    """Start a new session for `login`: a new session key and CSRF token, nothing of the old session."""
    request.session.flush()
    rotate_token(request)
    started = now()
    request.session[SESSION_KEY] = login.key
    request.session[SESSION_LOG] = login.log
    request.session[SESSION_STARTED] = started
    request.session[SESSION_SEEN] = started


def do_logout(request: HttpRequest) -> None:
    """End the session: its data is deleted and the browser gets a new, empty one."""
    request.session.flush()
    rotate_token(request)


def _timed_out(session: Mapping[str, Any], moment: float) -> bool:
    started = float(session.get(SESSION_STARTED, 0))
    seen = float(session.get(SESSION_SEEN, 0))
    return (
        moment - started > settings.AYLLU_SESSION_ABSOLUTE_SECONDS
        or moment - seen > settings.AYLLU_SESSION_IDLE_SECONDS
    )


# (log, head seq, head hash, key) -> the key's standing in the record at that head. The record at a
# given head never changes, so neither does a key's standing: any act that changes it (a member leaves,
# is suspended, replaces their key) is an append, which moves the head, and the next request looks the
# key up again; and a head's hash names every entry up to it, so a memo entry can never be read for
# another record. Cleared whole when full (an entry is a few hundred bytes).
_STANDING_MEMO_SIZE = 4096
_standings: dict[tuple[str, int, str, str], KeyStanding] = {}


def _standing(log: str, *, key: str) -> KeyStanding:
    """The key's standing in the record at its head (get_head: one query, or none inside one_head())."""
    try:
        seq, head = get_head(log)
        found = _standings.get((log, seq, head, key))
        if found is not None:
            return found
        with one_head():
            standing = get_key_standing(log, key=key)
            seq, head = get_head(log)  # the head it was read at (it may have caught up meanwhile)
    except RecordNotFound:
        return KeyStanding.UNKNOWN
    if len(_standings) >= _STANDING_MEMO_SIZE:
        _standings.clear()
    _standings[(log, seq, head, key)] = standing
    return standing


def current_login(request: HttpRequest) -> Login | None:
    """The member this request acts for, re-checked against the record; None when nobody is logged in.

    A session past its idle or absolute timeout, or whose key is no longer a current member's key, is
    ended here. The session is read once (its stored row is loaded on every request, so a session ended
    anywhere, on any worker, ends here too). The time last seen is written back only when more than
    SEEN_GRANULARITY seconds have passed since the one stored, so reading pages does not write the
    session every time: the idle timeout is counted from the stored time, so it may end a session up to
    SEEN_GRANULARITY seconds early, never late.
    """
    session = request.session
    data = dict(session.items())  # one read of the loaded session instead of one per value
    key, log = data.get(SESSION_KEY), data.get(SESSION_LOG)
    if not isinstance(key, str) or not isinstance(log, str):
        return None
    moment = now()
    if _timed_out(data, moment):
        do_logout(request)
        return None
    if _standing(log, key=key) not in (KeyStanding.MEMBER, KeyStanding.SUSPENDED):
        do_logout(request)
        return None
    if moment - float(data.get(SESSION_SEEN, 0)) > SEEN_GRANULARITY:
        session[SESSION_SEEN] = moment
    return Login(key=key, log=log)


def request_login(request: HttpRequest) -> Login | None:
    """`current_login`, worked out once per request where `LoginMiddleware` ran (its memo), for the pages
    that ask several times (the page key, the federation's home login, the cache headers)."""
    ask = getattr(request, "ayllu_login", None)
    return current_login(request) if ask is None else cast(Login | None, ask())


def home_login(request: HttpRequest, *, log: str) -> Login | None:
    """The login at home that acts in federation `log`: this browser's login to another record, when
    `log` is a federation; else None (nobody logged in, logged in to `log` itself, or `log` no
    federation). A delegate's federation forms are signed with the key this device keeps for that home
    (data-key-log; decision 0029) and the act route takes them from that session
    (`require_login_anywhere`); the core says whether the key stands in the federation now, and a page
    offers a member assembly's forms only to the login at that assembly. The pages whose forms follow
    it are `page_cache.AWAY_FORMS`: their key names it."""
    current = request_login(request)
    if current is None or current.log == log or not is_federation(log):
        return None
    return current


def require_login_anywhere(request: HttpRequest, *, log: str) -> Login:
    """The member logged in to any record held here; raise LoginRequired when nobody is. A federation's
    member acts are signed by its seated delegates, logged in to their home assemblies with the same key
    (decision 0029): the federation's rules, not the session, say whether that key stands there."""
    login = current_login(request)
    if login is None:
        raise LoginRequired(log=log)
    return login


def require_login(request: HttpRequest, *, log: str) -> Login:
    """The member logged in to `log`; raise LoginRequired when nobody is, or someone of another record."""
    login = current_login(request)
    if login is None or login.log != log:
        raise LoginRequired(log=log)
    return login
