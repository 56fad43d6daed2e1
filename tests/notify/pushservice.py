"""A push service on 127.0.0.1, as a browser's (FCM, autopush) answers a node: it takes the POST, checks
the VAPID token's signature against the key it names (RFC 8292) and, holding the private keys a browser
would, decrypts the payload (RFC 8291, aes128gcm of RFC 8188) with code of its own, not the node's."""

import base64
import json
import secrets
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from ayllu.actions.notifications import do_add_push_subscription

if TYPE_CHECKING:
    from .conftest import Council


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def point(key: ec.EllipticCurvePublicKey) -> bytes:
    return key.public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)


@dataclass
class Browser:
    """What a browser keeps for one subscription: its P-256 key pair and auth secret (RFC 8291 §2)."""

    name: str
    private: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )
    auth_secret: bytes = field(default_factory=lambda: secrets.token_bytes(16))

    @property
    def p256dh(self) -> str:
        return b64(point(self.private.public_key()))

    @property
    def auth(self) -> str:
        return b64(self.auth_secret)

    def decrypt(self, body: bytes) -> bytes:
        """RFC 8291 §3.4 and RFC 8188 §2, one record: header salt|rs|idlen|keyid (the sender's key)."""
        salt, rs, idlen = body[:16], int.from_bytes(body[16:20], "big"), body[20]
        sender = body[21 : 21 + idlen]
        ciphertext = body[21 + idlen :]
        assert idlen == 65 and len(ciphertext) <= rs
        shared = self.private.exchange(
            ec.ECDH(), ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), sender)
        )
        info = b"WebPush: info\x00" + point(self.private.public_key()) + sender
        ikm = HKDF(algorithm=hashes.SHA256(), length=32, salt=self.auth_secret, info=info).derive(shared)
        cek = HKDF(
            algorithm=hashes.SHA256(), length=16, salt=salt, info=b"Content-Encoding: aes128gcm\x00"
        ).derive(ikm)
        nonce = HKDF(
            algorithm=hashes.SHA256(), length=12, salt=salt, info=b"Content-Encoding: nonce\x00"
        ).derive(ikm)
        padded = AESGCM(cek).decrypt(nonce, ciphertext, None).rstrip(b"\x00")
        assert padded[-1:] == b"\x02"  # the last (only) record's delimiter
        return padded[:-1]


@dataclass(frozen=True)
class Received:
    device: str
    payload: dict[str, str]
    headers: dict[str, str]
    vapid_key: str


def check_vapid(authorization: str, *, audience: str) -> str:
    """Verify `vapid t=<jwt>, k=<key>` (RFC 8292 §3): the ES256 signature by k, the audience, the expiry.
    Return k."""
    assert authorization.startswith("vapid ")
    parts = dict(p.strip().split("=", 1) for p in authorization[len("vapid ") :].split(","))
    token, key = parts["t"], parts["k"]
    header, claims, signature = token.split(".")
    assert json.loads(unb64(header)) == {"typ": "JWT", "alg": "ES256"}
    raw = unb64(signature)
    public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64(key))
    try:
        public.verify(
            encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big")),
            f"{header}.{claims}".encode(),
            ec.ECDSA(hashes.SHA256()),
        )
    except InvalidSignature:
        raise AssertionError("the VAPID token's signature does not verify") from None
    body = json.loads(unb64(claims))
    assert body["aud"] == audience
    assert time.time() < body["exp"] <= time.time() + 24 * 3600
    assert body["sub"].startswith(("mailto:", "https:"))
    return key


class PushService:
    """Devices by name at /push/<name>; `answers[name]` is the statuses to answer next (then 201); a 429
    carries Retry-After `retry_after`."""

    def __init__(self) -> None:
        self.retry_after = "30"
        self.browsers: dict[str, Browser] = {}
        self.answers: dict[str, list[int]] = {}
        self.received: list[Received] = []
        self.refused: list[str] = []
        self.lock = threading.Lock()
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                name = self.path.rsplit("/", 1)[-1]
                body = self.rfile.read(int(self.headers["Content-Length"]))
                with service.lock:
                    queued = service.answers.get(name, [])
                    status = queued.pop(0) if queued else (201 if name in service.browsers else 404)
                    if status in (404, 410):  # an expired subscription stays expired
                        service.browsers.pop(name, None)
                if status == 201:
                    try:
                        key = check_vapid(self.headers["Authorization"], audience=service.origin)
                        assert self.headers["Content-Encoding"] == "aes128gcm"
                        assert int(self.headers["TTL"]) > 0
                        payload = json.loads(service.browsers[name].decrypt(body))
                    except Exception as error:  # a test failure, told to the test through `refused`
                        service.refused.append(f"{type(error).__name__}: {error}")
                        status = 400
                    else:
                        with service.lock:
                            service.received.append(Received(name, payload, dict(self.headers), key))
                self.send_response(status)
                if status == 429:
                    self.send_header("Retry-After", service.retry_after)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"

    def browser(self, name: str) -> Browser:
        self.browsers[name] = Browser(name)
        return self.browsers[name]

    def endpoint(self, name: str) -> str:
        return f"{self.origin}/push/{name}"

    def to(self, name: str) -> list[dict[str, str]]:
        return [r.payload for r in self.received if r.device == name]


@pytest.fixture
def push_service() -> Iterator[PushService]:
    service = PushService()
    thread = threading.Thread(target=service.server.serve_forever, daemon=True)
    thread.start()
    yield service
    service.server.shutdown()
    service.server.server_close()
    assert service.refused == []


def subscribe(council: "Council", service: PushService, index: int, name: str) -> None:
    """Subscribe member `index`'s device `name` (a browser of the local push service) to the node's push."""
    browser = service.browser(name)
    do_add_push_subscription(
        council.log,
        member=council.members[index],
        endpoint=service.endpoint(name),
        p256dh=browser.p256dh,
        auth=browser.auth,
    )
