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
from collections.abc import Callable
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

from ayllu.core.errors import (
    BadAuthorSignature,
    BadNodeSignature,
    BodyTooLarge,
    MalformedBody,
    MalformedEntry,
    WrongBodyHash,
)
from ayllu.core.ledger.canonical import MAX_SAFE_INTEGER, canonical_bytes, is_count, parse_canonical
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

FORMAT_VERSION = 1  # checkpoints, receipts, evidence and delegations; and the acts of format 1
# Acts come in two formats (docs/record-format.md, section 13): in format 1 an act's one body holds all it
# says, under the act's visibility; in format 2 (every new act) the body is the public rule data, and the
# words people wrote are a second body under the act's visibility, committed to by the first.
WHOLE_BODY_FORMAT = 1
SPLIT_FORMAT = 2
ACT_FORMATS = (WHOLE_BODY_FORMAT, SPLIT_FORMAT)
RULE_VIS = "public"  # the visibility of every format-2 rule body
WORDS = "words"  # the rule body's commitment to the words: {"hash": H(words body), "fields": [names]}
HASH_LENGTH = 64
NO_PREV = ""
VISIBILITIES = ("public", "members", "confidential")
MAX_BODY_BYTES = 256 * 1024
# A draw carries its whole pool (member key -> attributes) and panel list: 2,000 people with 8
# attributes are about 0.4 MB of pool alone (docs/record-format.md, "Body size").
MAX_DRAW_BODY_BYTES = 2 * 1024 * 1024
BODY_LIMITS: dict[str, int] = {"draw.prepared": MAX_DRAW_BODY_BYTES}

ACT_FIELDS = ("v", "log", "type", "author", "vis", "body", "nonce")
# What an entry's header adds to the act: its place in the record and the node's seal.
SEAL_FIELDS = ("seq", "prev", "time", "asig", "node", "nsig")
HEADER_FIELDS = frozenset((*ACT_FIELDS, *SEAL_FIELDS))
_act_values = attrgetter(*ACT_FIELDS)
_seal_values = attrgetter(*SEAL_FIELDS)

_TYPE = r"[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*){1,3}"
_NONCE = r"[A-Za-z0-9_-]{1,64}"
_TYPE_RE = re.compile(_TYPE)
_NONCE_RE = re.compile(_NONCE)
_HEX64, _HEX128 = "([0-9a-f]{64})", "([0-9a-f]{128})"
# A header of the documented form, written as canonical JSON writes it: its members in key order, every
# string one that canonical JSON writes as itself (hex, a pattern-matched name, a known visibility), and
# whole numbers of at most 16 digits without a leading zero. Bytes that match are canonical JSON and
# every field holds (but seq and time may pass 2^53 - 1: `_parse_written` checks that).
_WRITTEN_HEADER = re.compile(
    f'{{"asig":"{_HEX128}","author":"{_HEX64}","body":"{_HEX64}","log":"{_HEX64}","node":"{_HEX64}",'
    f'"nonce":"({_NONCE})","nsig":"{_HEX128}","prev":"((?:[0-9a-f]{{64}})?)","seq":([1-9][0-9]{{0,15}}),'
    f'"time":(0|[1-9][0-9]{{0,15}}),"type":"({_TYPE})","v":([12]),"vis":"(public|members|confidential)"}}'
)

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
    v: int = WHOLE_BODY_FORMAT

    def as_json(self) -> dict[str, Any]:
        return dict(zip(ACT_FIELDS, _act_values(self), strict=True))

    def signing_bytes(self) -> bytes:
        """The exact bytes the author signs (without the context prefix)."""
        if not _well_formed(self):
            return canonical_bytes(self.as_json())
        # Hex strings, pattern-matched names and a known visibility are written by canonical JSON as
        # themselves, so the members can be written out in key order directly.
        return (
            f'{{"author":"{self.author}","body":"{self.body}","log":"{self.log}","nonce":"{self.nonce}",'
            f'"type":"{self.type}","v":{self.v},"vis":"{self.vis}"}}'
        ).encode()

    def id(self) -> str:
        """Stable identity of the act: the same act replayed twice has the same id."""
        return sha256_hex(ACT_CONTEXT + self.signing_bytes())

    @property
    def split(self) -> bool:
        """Whether the act's body is public rule data with its words apart (format 2)."""
        return self.v == SPLIT_FORMAT

    def body_key(self) -> "BodyKey":
        """Where the act's body is kept: its hash, and the act's visibility (format 1) or public (2)."""
        return (self.body, RULE_VIS if self.v == SPLIT_FORMAT else self.vis)


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
    # A format-2 rule body travels with its words body when the holder has it (None otherwise).
    words: "Body | None" = field(default=None, repr=False, compare=False)
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


def words_commitment(content: dict[str, Any]) -> tuple[str, tuple[str, ...]] | None:
    """The (hash, field names) a format-2 rule body commits its words to; None if it is malformed."""
    words = content.get(WORDS)
    if not isinstance(words, dict) or set(words) != {"hash", "fields"}:
        return None
    hash, fields = words["hash"], words["fields"]
    if not is_hex(hash, HASH_LENGTH) or not isinstance(fields, list):
        return None
    if not all(isinstance(f, str) for f in fields) or fields != sorted(set(fields)):
        return None
    return hash, tuple(fields)


def words_key(act: Act, rule: "Body") -> "BodyKey | None":
    """Where a format-2 act's words are kept: the hash its rule body names, under the act's visibility."""
    if not act.split:
        return None
    commitment = words_commitment(rule.content())
    return None if commitment is None else (commitment[0], act.vis)


def with_words(rule: "Body", words: "Body | None") -> "Body":
    """The rule body carrying its words body (or none)."""
    return Body(rule.raw, rule.vis, words)


def body_for_replay(act: Act, lookup: "Callable[[BodyKey], Body | None]") -> "Body | None":
    """The body an act's rules are replayed with, from stored bodies (None where not held or erased):
    a format-2 rule body carries its words when they are held."""
    rule = lookup(act.body_key())
    if rule is None or not act.split:
        return rule
    key = words_key(act, rule)
    return with_words(rule, None if key is None else lookup(key))


def body_keys(act: Act, lookup: "Callable[[BodyKey], object]") -> list["BodyKey"]:
    """The keys of every body an act names: its body, and in format 2 the words its rule body names
    (known only when `lookup` holds the rule body)."""
    keys = [act.body_key()]
    if act.split:
        rule = lookup(keys[0])
        words = words_key(act, rule) if isinstance(rule, Body) else None
        if words is not None:
            keys.append(words)
    return keys


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
    """Sign an act as `author`: this happens on the member's device in the web app.

    A body carrying its words (`Body.words`) is signed as a format-2 act whose visibility is the words';
    any other as a format-1 act (the founding, and records written before format 2).
    """
    act = act_for(log=log, type=type, author=author.public, body=body, nonce=nonce)
    check_act_fields(act)
    return SignedAct(act, author.sign(ACT_CONTEXT, act.signing_bytes()))


def act_for(*, log: str, type: str, author: str, body: Body, nonce: str) -> Act:
    """The act that signs `body`: format 2 when the body carries its words, format 1 otherwise."""
    if body.words is not None:
        return Act(log, type, author, body.words.vis, body.hash, nonce, v=SPLIT_FORMAT)
    return Act(log=log, type=type, author=author, vis=body.vis, body=body.hash, nonce=nonce)


def _well_formed(act: Act) -> bool:
    return (
        act.v in ACT_FORMATS
        and type(act.v) is int
        and is_hex(act.log, HASH_LENGTH)
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
    if act.v not in ACT_FORMATS or type(act.v) is not int:
        raise MalformedEntry(field="v", value=act.v)
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
        return {**self.act.as_json(), **dict(zip(SEAL_FIELDS, _seal_values(self), strict=True))}

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
        if (body.hash, body.vis) != self.act.body_key():
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
    after = f'"prev":"{prev}","seq":{seq},"time":{time},"type":"{act.type}","v":{act.v},"vis":"{act.vis}"}}'
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


def _parse_written(raw: bytes) -> Entry | None:
    """The entry of a header of the form `_WRITTEN_HEADER` matches (what `parse_entry` returns for it),
    read without decoding JSON; None for any other bytes, which `parse_entry` reads in full."""
    found = _WRITTEN_HEADER.fullmatch(raw.decode("ascii")) if raw.isascii() else None
    if found is None:
        return None
    asig, author, body, log, node, nonce, nsig, prev, seq, time, type, v, vis = found.groups()
    seq_n, time_n = int(seq), int(time)
    if seq_n > MAX_SAFE_INTEGER or time_n > MAX_SAFE_INTEGER:
        return None
    act = Act(log, type, author, vis, body, nonce, int(v))
    return Entry(raw, seq_n, prev, time_n, act, asig, node, nsig, sha256_hex(raw))


def parse_entry(raw: bytes) -> Entry:
    """Parse exact header bytes; raise NonCanonical, NotJson or MalformedEntry naming the field.

    Signatures are not checked here (see `Entry.check_signatures`), so that verification can batch them.
    """
    written = _parse_written(raw)
    return _parse_in_full(raw) if written is None else written


def _parse_in_full(raw: bytes) -> Entry:
    """`parse_entry` of any bytes: canonical JSON read, then each field checked."""
    header = parse_canonical(raw)
    if not isinstance(header, dict):
        raise MalformedEntry(field="header")
    keys = set(header)
    if keys != HEADER_FIELDS:
        missing, extra = sorted(HEADER_FIELDS - keys), sorted(keys - HEADER_FIELDS)
        raise MalformedEntry(field="fields", missing=missing, extra=extra)
    if header["v"] not in ACT_FORMATS or isinstance(header["v"], bool):
        raise MalformedEntry(field="v", value=header["v"])
    seq, time = header["seq"], header["time"]
    if not is_count(seq, minimum=1):
        raise MalformedEntry(field="seq", value=seq)
    if not is_count(time):
        raise MalformedEntry(field="time", value=time)
    prev = header["prev"]
    # Its form only: whether it is "" at seq 1 and the previous entry's hash after is the chain's
    # check (broken_chain), which needs the entry before.
    if prev != NO_PREV and not is_hex(prev, HASH_LENGTH):
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
        v=header["v"],
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
