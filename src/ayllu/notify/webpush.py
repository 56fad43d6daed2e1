"""Web Push from this node: VAPID (RFC 8292) to be known to the push service, and the payload encrypted
end to end to the browser (RFC 8291, "aes128gcm" content coding of RFC 8188).

The push service (Google's FCM for Chrome, Mozilla's autopush for Firefox, Apple's for Safari) sees the
endpoint, the node's public key in the signed token, the size and the time of each message; it cannot read
the payload. The payload is what the e-mail carries at most: public words and the link (decision 0017).
Encryption is done by `http_ece` (the web-push-libs' implementation); the token is signed here with the
`cryptography` package, and the request is one POST with the standard library's `urllib`.
"""

import base64
import email.utils
import json
import os
import urllib.error
import urllib.request
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import http_ece
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from django.conf import settings

from ayllu.queries.notifications import PushDevice
from ayllu.storage import clock
from ayllu.storage.keyfiles import load_or_create_push_key_file, push_public_key

# How long a push service keeps a message for a device that is offline (seconds); reminders are due
# within hours, and a day-old one is still worth reading.
TTL_SECONDS = 24 * 3600
TOKEN_SECONDS = 12 * 3600  # RFC 8292: at most 24 h
TIMEOUT_SECONDS = 15
MAX_PAYLOAD = 3993  # 4096 bytes of record less the header (86) and padding delimiter and tag (17)


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@cache
def _vapid_key(path: Path) -> ec.EllipticCurvePrivateKey:
    return load_or_create_push_key_file(path)


def vapid_key() -> ec.EllipticCurvePrivateKey:
    """The node's VAPID private key (AYLLU_PUSH_KEY_FILE), created on first use."""
    return _vapid_key(Path(settings.AYLLU_PUSH_KEY_FILE))


def public_key(private: ec.EllipticCurvePrivateKey | None = None) -> str:
    """The application server key browsers subscribe with: the uncompressed P-256 point, base64url."""
    return push_public_key(private or vapid_key())


def vapid_token(endpoint: str, *, private: ec.EllipticCurvePrivateKey, now: float | None = None) -> str:
    """The JWT (ES256) the push service checks: audience the endpoint's origin, a short expiry, a contact."""
    url = urlsplit(endpoint)
    claims = {
        "aud": f"{url.scheme}://{url.netloc}",
        "exp": int((clock.now_s() if now is None else now) + TOKEN_SECONDS),
        "sub": str(settings.AYLLU_PUSH_CONTACT),
    }
    header = b64(json.dumps({"typ": "JWT", "alg": "ES256"}).encode())
    body = b64(json.dumps(claims, separators=(",", ":")).encode())
    signing_input = f"{header}.{body}".encode("ascii")
    r, s = decode_dss_signature(private.sign(signing_input, ec.ECDSA(hashes.SHA256())))
    return f"{header}.{body}.{b64(r.to_bytes(32, 'big') + s.to_bytes(32, 'big'))}"


def encrypt(payload: bytes, device: PushDevice) -> bytes:
    """`payload` encrypted to `device` (RFC 8291): a fresh ECDH key and salt for every message."""
    if len(payload) > MAX_PAYLOAD:
        raise ValueError(f"a push payload is at most {MAX_PAYLOAD} bytes, this one {len(payload)}")
    return bytes(
        http_ece.encrypt(
            payload,
            salt=os.urandom(16),
            private_key=ec.generate_private_key(ec.SECP256R1()),
            dh=unb64(device.p256dh),
            auth_secret=unb64(device.auth),
            version="aes128gcm",
        )
    )


@dataclass(frozen=True, slots=True)
class PushAnswer:
    """What the push service answered: its HTTP status, and Retry-After (seconds) when it gave one."""

    status: int
    retry_after: int = 0

    @property
    def gone(self) -> bool:
        """The subscription expired or was withdrawn: the device will never be reached through it."""
        return self.status in (404, 410)

    @property
    def taken(self) -> bool:
        return 200 <= self.status < 300

    @property
    def permanent(self) -> bool:
        """Refused for good (400 malformed, 403 a key the service does not accept, 413 too large): the
        same message would be refused again. 429 and 5xx are worth another try."""
        return 400 <= self.status < 500 and self.status != 429 and not self.gone


def push(device: PushDevice, payload: bytes, *, urgency: str = "normal") -> PushAnswer:
    """POST one encrypted message for `device` to its push service; return its answer (never raise for
    an HTTP status: the caller decides what a refusal means)."""
    if urlsplit(device.endpoint).scheme not in ("https", "http"):  # checked when kept; once more here
        raise ValueError("a push endpoint is an https URL")
    private = vapid_key()
    token = vapid_token(device.endpoint, private=private)
    request = urllib.request.Request(  # noqa: S310 (the scheme is checked above)
        device.endpoint,
        data=encrypt(payload, device),
        method="POST",
        headers={
            "Content-Encoding": "aes128gcm",
            "Content-Type": "application/octet-stream",
            "TTL": str(TTL_SECONDS),
            "Urgency": urgency,
            "Authorization": f"vapid t={token}, k={public_key(private)}",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as answer:  # noqa: S310 (checked URL)
            return PushAnswer(answer.status)
    except urllib.error.HTTPError as refused:
        retry = refused.headers.get("Retry-After", "") if refused.headers else ""
        return PushAnswer(refused.code, retry_after_seconds(retry, now=clock.now_s()))


def retry_after_seconds(value: str, *, now: float) -> int:
    """Retry-After (RFC 9110 §10.2.3) in seconds from `now`: a number of seconds or an HTTP date; 0 when
    absent, past or unreadable."""
    value = value.strip()
    if value.isdigit():
        return int(value)
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return 0
    return max(0, int(moment.timestamp() - now)) if moment.tzinfo else 0
