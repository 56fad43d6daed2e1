"""Entries of an assembly's record: the act an author signs, and the place a node gives it.

An entry header is one canonical JSON object (see docs/record-format.md):

    {"v": 1, "log": L, "seq": n, "prev": P, "time": ms,          <- the node's part
     "type": T, "author": A, "vis": V, "body": B, "nonce": N,     <- the act, signed by the author
     "asig": author signature, "node": node key, "nsig": node signature}

The author signs ACT_CONTEXT || canonical({"v","log","type","author","vis","body","nonce"}): the act is
bound to its record (log) but not to a position, so it stays valid on any node that carries the record.
The node signs ENTRY_CONTEXT || canonical(header without "nsig"). The entry hash is SHA-256 of the
exact header bytes; the next entry's `prev` is that hash. Bodies are stored apart, addressed by the
SHA-256 of their canonical bytes together with the visibility the act signed (two acts may carry the
same bytes under different visibilities), so a replica checks the chain without seeing confidential
bodies.
"""

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from ayllu.core.errors import (
    BadAuthorSignature,
    BadNodeSignature,
    BodyTooLarge,
    MalformedBody,
    MalformedEntry,
    WrongBodyHash,
)
from ayllu.core.ledger.canonical import MAX_SAFE_INTEGER, canonical_bytes, parse_canonical
from ayllu.core.ledger.keys import (
    ACT_CONTEXT,
    ENTRY_CONTEXT,
    HEX_KEY_LENGTH,
    HEX_SIGNATURE_LENGTH,
    LOG_CONTEXT,
    Keypair,
    is_hex,
    verify_signature,
)

FORMAT_VERSION = 1
HASH_LENGTH = 64
NO_PREV = ""
VISIBILITIES = ("public", "members", "confidential")
MAX_BODY_BYTES = 256 * 1024
# A draw carries its whole pool (member key -> attributes) and panel list: 2,000 people with 8
# attributes are about 0.4 MB of pool alone (docs/record-format.md, "Body size").
MAX_DRAW_BODY_BYTES = 2 * 1024 * 1024
BODY_LIMITS: dict[str, int] = {"draw.prepared": MAX_DRAW_BODY_BYTES}

ACT_FIELDS = ("v", "log", "type", "author", "vis", "body", "nonce")
HEADER_FIELDS = frozenset((*ACT_FIELDS, "seq", "prev", "time", "asig", "node", "nsig"))

_TYPE_RE = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*){1,3}")
_NONCE_RE = re.compile(r"[A-Za-z0-9_-]{1,64}")

# Where a body is kept and looked up: (body hash, visibility). Both are signed in the act.
BodyKey = tuple[str, str]


def sha256_hex(data: bytes) -> str:
    """Lowercase hex SHA-256 of `data`."""
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True, slots=True)
class Act:
    """What an author signs: the kind of act and the hash of its body, bound to one record."""

    log: str
    type: str
    author: str
    vis: str
    body: str
    nonce: str

    def as_json(self) -> dict[str, Any]:
        return {
            "v": FORMAT_VERSION,
            "log": self.log,
            "type": self.type,
            "author": self.author,
            "vis": self.vis,
            "body": self.body,
            "nonce": self.nonce,
        }

    def signing_bytes(self) -> bytes:
        """The exact bytes the author signs (without the context prefix)."""
        if not _well_formed(self):
            return canonical_bytes(self.as_json())
        # Hex strings, pattern-matched names and a known visibility are written by canonical JSON as
        # themselves, so the members can be written out in key order directly.
        return (
            f'{{"author":"{self.author}","body":"{self.body}","log":"{self.log}","nonce":"{self.nonce}",'
            f'"type":"{self.type}","v":{FORMAT_VERSION},"vis":"{self.vis}"}}'
        ).encode()

    def id(self) -> str:
        """Stable identity of the act: the same act replayed twice has the same id."""
        return sha256_hex(ACT_CONTEXT + self.signing_bytes())


@dataclass(frozen=True, slots=True)
class SignedAct:
    """An act with its author's signature: portable between nodes that carry the record."""

    act: Act
    asig: str

    def check(self) -> None:
        """Raise BadAuthorSignature unless `asig` is the author's signature over the act."""
        if not verify_signature(self.act.author, ACT_CONTEXT, self.act.signing_bytes(), self.asig):
            raise BadAuthorSignature(author=self.act.author)


@dataclass(frozen=True, slots=True)
class Body:
    """An entry's body: canonical JSON bytes and the visibility the author signed.

    The hash and the parsed content are computed once and kept: a body is checked by the verifier and
    read again by replay. Callers must not change the dict `content()` returns.
    """

    raw: bytes
    vis: str
    _hash: str = field(default="", init=False, repr=False, compare=False)
    _content: dict[str, Any] | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def hash(self) -> str:
        if not self._hash:
            object.__setattr__(self, "_hash", sha256_hex(self.raw))
        return self._hash

    @property
    def key(self) -> BodyKey:
        """Where this body is kept: its hash and its visibility."""
        return (self.hash, self.vis)

    def content(self) -> dict[str, Any]:
        """The body's JSON object; raise NonCanonical, NotJson or MalformedBody if it is not one."""
        if self._content is None:
            value = parse_canonical(self.raw)
            if not isinstance(value, dict):
                raise MalformedBody(reason="not_an_object")
            object.__setattr__(self, "_content", value)
            return value
        return self._content


def max_body_bytes(type: str) -> int:
    """The largest body an act of this type may carry: MAX_BODY_BYTES, or its own limit in BODY_LIMITS."""
    return BODY_LIMITS.get(type, MAX_BODY_BYTES)


def make_body(content: dict[str, Any], *, vis: str, type: str = "") -> Body:
    """Encode a body's content canonically, checking its visibility and its size for the act's type."""
    if vis not in VISIBILITIES:
        raise MalformedBody(reason="visibility", value=vis)
    if not isinstance(content, dict):
        raise MalformedBody(reason="not_an_object")
    raw = canonical_bytes(content)
    if len(raw) > max_body_bytes(type):
        raise BodyTooLarge(size=len(raw), limit=max_body_bytes(type))
    return Body(raw, vis)


def sign_act(author: Keypair, *, log: str, type: str, body: Body, nonce: str) -> SignedAct:
    """Sign an act as `author`: this happens on the member's device in the web app."""
    act = Act(log=log, type=type, author=author.public, vis=body.vis, body=body.hash, nonce=nonce)
    check_act_fields(act)
    return SignedAct(act, author.sign(ACT_CONTEXT, act.signing_bytes()))


def _well_formed(act: Act) -> bool:
    return (
        is_hex(act.log, HASH_LENGTH)
        and isinstance(act.type, str)
        and _TYPE_RE.fullmatch(act.type) is not None
        and is_hex(act.author, HEX_KEY_LENGTH)
        and act.vis in VISIBILITIES
        and is_hex(act.body, HASH_LENGTH)
        and isinstance(act.nonce, str)
        and _NONCE_RE.fullmatch(act.nonce) is not None
    )


def check_act_fields(act: Act) -> None:
    """Raise MalformedEntry naming the first act field that is not of the documented form."""
    if _well_formed(act):
        return
    if not is_hex(act.log, HASH_LENGTH):
        raise MalformedEntry(field="log")
    if not isinstance(act.type, str) or not _TYPE_RE.fullmatch(act.type):
        raise MalformedEntry(field="type", value=act.type)
    if not is_hex(act.author, HEX_KEY_LENGTH):
        raise MalformedEntry(field="author")
    if act.vis not in VISIBILITIES:
        raise MalformedEntry(field="vis", value=act.vis)
    if not is_hex(act.body, HASH_LENGTH):
        raise MalformedEntry(field="body")
    if not isinstance(act.nonce, str) or not _NONCE_RE.fullmatch(act.nonce):
        raise MalformedEntry(field="nonce")


@dataclass(frozen=True, slots=True)
class Entry:
    """A sealed entry: the exact header bytes as signed, and the fields parsed from them."""

    raw: bytes
    seq: int
    prev: str
    time: int
    act: Act
    asig: str
    node: str
    nsig: str
    hash: str

    @property
    def log(self) -> str:
        return self.act.log

    @property
    def type(self) -> str:
        return self.act.type

    @property
    def author(self) -> str:
        return self.act.author

    def signed_act(self) -> SignedAct:
        return SignedAct(self.act, self.asig)

    def header_json(self) -> dict[str, Any]:
        return {
            **self.act.as_json(),
            "seq": self.seq,
            "prev": self.prev,
            "time": self.time,
            "asig": self.asig,
            "node": self.node,
            "nsig": self.nsig,
        }

    def node_signing_bytes(self) -> bytes:
        """The bytes the node signs: the header without `nsig`."""
        header = self.header_json()
        del header["nsig"]
        return canonical_bytes(header)

    def check_signatures(self) -> None:
        """Raise BadAuthorSignature or BadNodeSignature unless both signatures hold."""
        self.signed_act().check()
        if not verify_signature(self.node, ENTRY_CONTEXT, self.node_signing_bytes(), self.nsig):
            raise BadNodeSignature(seq=self.seq, node=self.node)

    def check_body(self, body: Body) -> None:
        """Raise WrongBodyHash unless `body` is the one this entry's author signed."""
        if body.hash != self.act.body or body.vis != self.act.vis:
            raise WrongBodyHash(seq=self.seq)


def seal_entry(signed: SignedAct, *, seq: int, prev: str, time: int, node: Keypair) -> Entry:
    """Give a signed act its place in the record and sign that place as the node.

    Raise MalformedEntry naming the first field that is not of the documented form. The header is
    written out directly: every field is checked to be a hex string, a pattern-matched name or an
    integer, which canonical JSON writes as itself, so these are the canonical bytes (the vectors
    and tests/core/test_record.py check it against `canonical_bytes`).
    """
    act = signed.act
    check_act_fields(act)
    if not is_hex(signed.asig, HEX_SIGNATURE_LENGTH):
        raise MalformedEntry(field="asig")
    if type(seq) is not int or not 1 <= seq <= MAX_SAFE_INTEGER:
        raise MalformedEntry(field="seq", value=seq)
    if type(time) is not int or not 0 <= time <= MAX_SAFE_INTEGER:
        raise MalformedEntry(field="time", value=time)
    if (seq == 1 and prev != NO_PREV) or (seq > 1 and not is_hex(prev, HASH_LENGTH)):
        raise MalformedEntry(field="prev", seq=seq)
    # Members in key order; "nsig" goes between "nonce" and "prev".
    before = (
        f'{{"asig":"{signed.asig}","author":"{act.author}","body":"{act.body}","log":"{act.log}",'
        f'"node":"{node.public}","nonce":"{act.nonce}",'
    )
    after = (
        f'"prev":"{prev}","seq":{seq},"time":{time},"type":"{act.type}",'
        f'"v":{FORMAT_VERSION},"vis":"{act.vis}"}}'
    )
    nsig = node.sign(ENTRY_CONTEXT, (before + after).encode())
    raw = f'{before}"nsig":"{nsig}",{after}'.encode()
    return Entry(
        raw=raw,
        seq=seq,
        prev=prev,
        time=time,
        act=act,
        asig=signed.asig,
        node=node.public,
        nsig=nsig,
        hash=sha256_hex(raw),
    )


def parse_entry(raw: bytes) -> Entry:
    """Parse exact header bytes; raise NonCanonical, NotJson or MalformedEntry naming the field.

    Signatures are not checked here (see `Entry.check_signatures`), so that verification can batch them.
    """
    header = parse_canonical(raw)
    if not isinstance(header, dict):
        raise MalformedEntry(field="header")
    keys = set(header)
    if keys != HEADER_FIELDS:
        missing, extra = sorted(HEADER_FIELDS - keys), sorted(keys - HEADER_FIELDS)
        raise MalformedEntry(field="fields", missing=missing, extra=extra)
    if header["v"] != FORMAT_VERSION or isinstance(header["v"], bool):
        raise MalformedEntry(field="v", value=header["v"])
    seq, time = header["seq"], header["time"]
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 1:
        raise MalformedEntry(field="seq", value=seq)
    if not isinstance(time, int) or isinstance(time, bool) or time < 0:
        raise MalformedEntry(field="time", value=time)
    prev = header["prev"]
    if seq == 1 and prev != NO_PREV:
        raise MalformedEntry(field="prev", seq=seq)
    if seq > 1 and not is_hex(prev, HASH_LENGTH):
        raise MalformedEntry(field="prev", seq=seq)
    if not is_hex(header["node"], HEX_KEY_LENGTH):
        raise MalformedEntry(field="node", seq=seq)
    for name in ("asig", "nsig"):
        if not is_hex(header[name], HEX_SIGNATURE_LENGTH):
            raise MalformedEntry(field=name, seq=seq)
    act = Act(
        log=header["log"],
        type=header["type"],
        author=header["author"],
        vis=header["vis"],
        body=header["body"],
        nonce=header["nonce"],
    )
    try:
        check_act_fields(act)
    except MalformedEntry as exc:
        raise MalformedEntry(**exc.detail, seq=seq) from None
    return Entry(
        raw=raw,
        seq=seq,
        prev=prev,
        time=time,
        act=act,
        asig=header["asig"],
        node=header["node"],
        nsig=header["nsig"],
        hash=sha256_hex(raw),
    )


def log_id_for(founding_body: Body) -> str:
    """A record's id, derived from its founding body so that no one can choose it to collide."""
    return sha256_hex(LOG_CONTEXT + founding_body.raw)
