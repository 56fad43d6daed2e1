"""The quick readings of canonical JSON, entry headers and checkpoints agree with the full checks.

Each quick reading either declines (and the full check decides) or gives exactly what the full check
gives: these properties try it on valid texts and on texts one edit away from them.
"""

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from ayllu.core.ledger import canonical, checkpoints, record
from ayllu.core.ledger.canonical import MAX_SAFE_INTEGER, canonical_bytes
from ayllu.core.ledger.checkpoints import sign_checkpoint, sign_receipt
from factories.keys import keypair
from factories.records import sample_record

ENTRIES = sample_record(4).entries
NODE = keypair("node")
LOG = ENTRIES[0].log

edge_ints = st.sampled_from([0, 1, -1, MAX_SAFE_INTEGER, -MAX_SAFE_INTEGER, 2**53, -(2**53), 10**16, 10**20])
texts = st.text(st.characters(exclude_categories=["Cs"]), max_size=8)
values = st.recursive(
    st.none() | st.booleans() | st.integers() | edge_ints | texts | st.floats(allow_nan=False),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3),
    max_leaves=12,
)
# Bytes that may stand where one was taken out or put in: JSON's own, digits, escapes, UTF-8 leads.
marks = st.sampled_from([b" ", b"0", b"1", b"9", b".", b"e", b"-", b'"', b"\\", b",", b":", b"{", b"}"])
marks |= st.sampled_from([b"[", b"]", b"a", b"A", b"\xc3\xa9", b"\xf0\x9f\x98\x80", b"\xed\xa0\x80", b"\xff"])


@st.composite
def edited(draw: st.DrawFn, raw: bytes) -> bytes:
    """`raw`, or `raw` with one byte taken out, put in or changed."""
    how = draw(st.sampled_from(["same", "out", "in", "change"]))
    if how == "same" or not raw:
        return raw
    at = draw(st.integers(0, len(raw) - 1))
    mark = draw(marks)
    if how == "out":
        return raw[:at] + raw[at + 1 :]
    if how == "in":
        return raw[:at] + mark + raw[at:]
    return raw[:at] + mark + raw[at + 1 :]


@st.composite
def json_texts(draw: st.DrawFn) -> bytes:
    """A JSON text written canonically, or as Python's encoder writes it with other options."""
    value = draw(values)
    try:
        raw = canonical_bytes(value)
    except Exception:  # a float or an integer out of range: written as Python writes it
        raw = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
            "utf-8", "replace"
        )
    if draw(st.booleans()):
        raw = json.dumps(value, ensure_ascii=draw(st.booleans())).encode("utf-8", "replace")
    return draw(edited(raw))


@settings(max_examples=250, deadline=None)
@given(raw=json_texts())
def test_canonical_json_read_at_once_is_what_the_full_check_reads(raw: bytes) -> None:
    # given
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return  # refused before either reading
    # when
    found = canonical._canonical_at_once(raw, text)
    # then: declined, or the full check reads the same value (and does not refuse it)
    if found is not canonical._UNDECIDED:
        assert canonical._parse_in_full(raw, text) == found


@settings(max_examples=250, deadline=None)
@given(index=st.integers(0, len(ENTRIES) - 1), data=st.data())
def test_a_header_read_by_its_written_form_is_the_entry_the_full_parse_gives(
    index: int, data: st.DataObject
) -> None:
    # given: a sealed header, a field of it rewritten, and maybe one byte edited
    entry = ENTRIES[index]
    header = json.loads(entry.raw)
    field = data.draw(st.sampled_from([None, "seq", "time", "v", "vis", "nonce", "type", "prev", "log"]))
    if field is not None:
        header[field] = data.draw(
            edge_ints
            | st.integers()
            | st.sampled_from(["", "public", "secret", "a.b", "A.b", "x" * 65, "0" * 64])
        )
    raw = json.dumps(header, sort_keys=True, separators=(",", ":")).encode() if field else entry.raw
    raw = data.draw(edited(raw))
    # when
    written = record._parse_written(raw)
    # then
    if raw == entry.raw:
        assert written == entry
    if written is not None:
        assert record._parse_in_full(raw) == written


@settings(max_examples=150, deadline=None)
@given(
    kind=st.sampled_from(["checkpoint", "receipt"]),
    count=edge_ints | st.integers(0, 10**6),
    time=edge_ints | st.integers(0, 10**13),
    data=st.data(),
)
def test_a_statement_read_by_its_written_form_holds_the_fields_the_full_parse_gives(
    kind: str, count: int, time: int, data: st.DataObject
) -> None:
    # given: a signed statement with these numbers (written as they are when they could not be signed)
    statement = checkpoints._CHECKPOINT if kind == "checkpoint" else checkpoints._RECEIPT
    sign = sign_checkpoint if kind == "checkpoint" else sign_receipt
    hashed = {"checkpoint": "root", "receipt": "entry"}[kind]
    try:
        signed = sign(NODE, log=LOG, **{statement.count: count, hashed: "ab" * 32}, time=time)  # type: ignore[operator]
        raw = signed.raw
    except Exception:
        fields = {
            "v": 1,
            "log": LOG,
            statement.count: count,
            hashed: "ab" * 32,
            "time": time,
            "node": NODE.public,
        }
        raw = json.dumps({**fields, "sig": "cd" * 64}, sort_keys=True, separators=(",", ":")).encode()
    raw = data.draw(edited(raw))
    # when
    written = statement._written_fields(raw)
    # then
    if written is not None:
        assert statement._fields_in_full(raw) == written
        unsigned = {k: v for k, v in json.loads(raw).items() if k != "sig"}
        assert checkpoints._unsigned_bytes(raw, written[5]) == canonical_bytes(unsigned)
