"""A peer's /fed/ endpoints over HTTP, with urllib from the standard library.

The client only fetches and decodes transport; it trusts nothing it receives. Every byte it returns is
checked by the caller (follow.py, witness.py) before anything is stored or shown.
"""

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ayllu.core.errors import DomainError
from ayllu.core.ledger.checkpoints import Checkpoint, parse_checkpoint
from ayllu.core.ledger.record import Body, BodyKey

TIMEOUT_SECONDS = 30
MAX_RESPONSE_BYTES = 64 * 1024 * 1024


# Headers proving who asks, given the method and the path with its query (federation/auth.py).
Signer = Callable[[str, str], dict[str, str]]


class PeerError(DomainError):
    """A peer could not be reached, or answered with an error or with something unreadable."""

    code = "peer_error"


@dataclass(frozen=True, slots=True)
class Peer:
    """A node's base URL (e.g. http://127.0.0.1:8000); endpoints live under /fed/."""

    url: str
    timeout: float = TIMEOUT_SECONDS
    signer: Signer | None = None

    def __post_init__(self) -> None:
        if urllib.parse.urlparse(self.url).scheme not in ("http", "https"):
            raise PeerError(url=self.url, reason="not_http")

    def _url(self, path: str, **query: object) -> str:
        base = self.url.rstrip("/") + "/fed/" + path
        return base + ("?" + urllib.parse.urlencode(query) if query else "")

    def _request(self, url: str, *, data: bytes | None = None, missing_ok: bool = False) -> bytes | None:
        method = "POST" if data is not None else "GET"
        request = urllib.request.Request(url, data=data, method=method)  # noqa: S310 (scheme checked)
        if data is not None:
            request.add_header("Content-Type", "application/json")
        if self.signer is not None:
            parts = urllib.parse.urlsplit(url)
            path = parts.path + ("?" + parts.query if parts.query else "")
            for name, value in self.signer(method, path).items():
                request.add_header(name, value)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                body: bytes = response.read(MAX_RESPONSE_BYTES + 1)
        except urllib.error.HTTPError as exc:
            if exc.code == 404 and missing_ok:
                return None
            raise PeerError(url=url, status=exc.code, answer=_short(exc.read())) from None
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise PeerError(url=url, reason=str(getattr(exc, "reason", exc))) from None
        if len(body) > MAX_RESPONSE_BYTES:
            raise PeerError(url=url, reason="response_too_large")
        return body

    def _get(self, path: str, **query: object) -> bytes:
        body = self._request(self._url(path, **query))
        assert body is not None
        return body

    def _json(self, path: str, **query: object) -> Any:
        try:
            return json.loads(self._get(path, **query))
        except ValueError:
            raise PeerError(url=self._url(path, **query), reason="not_json") from None

    def node_key(self) -> str:
        """The key the peer says it signs with (used only to attribute what it serves)."""
        node = self._json("").get("node")
        return node if isinstance(node, str) else ""

    def logs(self) -> list[str]:
        """The records the peer serves."""
        records = self._json("").get("records", [])
        return [log for log in records if isinstance(log, str)]

    def checkpoint(self, log: str) -> bytes | None:
        """The exact bytes of the peer's latest checkpoint of `log` (None when it has none)."""
        return self._request(self._url(f"{log}/checkpoint/"), missing_ok=True)

    def latest_checkpoint(self, log: str) -> Checkpoint | None:
        """The peer's latest checkpoint of `log`, parsed (None when it has none)."""
        raw = self.checkpoint(log)
        return None if raw is None else parse_checkpoint(raw)

    def entries(self, log: str, *, first: int, last: int) -> list[bytes]:
        """The exact header bytes the peer serves for entries first..last (possibly fewer)."""
        body = self._get(f"{log}/entries/", **{"from": first, "to": last})
        return [line for line in body.split(b"\n") if line]

    def bodies(self, log: str, *, first: int, last: int) -> dict[BodyKey, Body | None]:
        """The bodies the peer serves for entries first..last by (hash, vis): Body, or None for an erased one.

        Keyed by the pair, as the record addresses bodies: the same bytes served once public and once
        members-only are two bodies, and a member's node needs both."""
        found: dict[BodyKey, Body | None] = {}
        for line in self._get(f"{log}/bodies/", **{"from": first, "to": last}).split(b"\n"):
            if not line:
                continue
            try:
                item = json.loads(line)
                hash, vis = str(item["hash"]), str(item["vis"])
                found[hash, vis] = None if item.get("erased") else Body(str(item["body"]).encode(), vis)
            except (ValueError, KeyError, TypeError, UnicodeEncodeError):
                continue  # an unreadable line is a body not served; verification decides if it was needed
        return found

    def consistency(self, log: str, *, old: int, new: int) -> list[str]:
        """The peer's consistency proof between two sizes (checked by the caller)."""
        proof = self._json(f"{log}/proof/consistency/", **{"from": old, "to": new}).get("proof")
        if not isinstance(proof, list) or not all(isinstance(p, str) for p in proof):
            raise PeerError(log=log, reason="malformed_proof")
        return proof

    def post_cosignature(self, log: str, *, checkpoint: bytes, cosignature: bytes) -> None:
        """Hand the peer a cosignature of its checkpoint."""
        data = json.dumps({"checkpoint": checkpoint.decode(), "cosignature": cosignature.decode()})
        self._request(self._url(f"{log}/cosignatures/"), data=data.encode("utf-8"))

    def cosignatures(self, log: str) -> list[tuple[bytes, bytes]]:
        """(checkpoint, cosignature) bytes the peer keeps for `log` (checked by the caller)."""
        items = self._json(f"{log}/cosignatures/").get("cosignatures", [])
        return [
            (str(i["checkpoint"]).encode(), str(i["cosignature"]).encode())
            for i in items
            if isinstance(i, dict) and "checkpoint" in i and "cosignature" in i
        ]

    def post_evidence(self, raw: bytes) -> None:
        """Pass evidence on to the peer, which re-verifies it before keeping it."""
        self._request(self._url("evidence/"), data=raw)


def _short(body: bytes) -> str:
    return body[:200].decode("utf-8", "replace")
