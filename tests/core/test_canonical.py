"""Canonical JSON: the same bytes as an independent RFC 8785 encoder, and nothing else is accepted."""

import pytest
import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st

from ayllu.core.errors import ForbiddenValue, NonCanonical, NotJson
from ayllu.core.ledger import canonical
from ayllu.core.ledger.canonical import MAX_SAFE_INTEGER, canonical_bytes, parse_canonical

safe_ints = st.integers(min_value=-MAX_SAFE_INTEGER, max_value=MAX_SAFE_INTEGER)
# Any Unicode text without lone surrogates, including characters beyond the BMP.
texts = st.text(st.characters(exclude_categories=["Cs"]), max_size=12)
json_values = st.recursive(
    st.none() | st.booleans() | safe_ints | texts,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(texts, inner, max_size=4),
    max_leaves=20,
)
plain_values = st.recursive(
    st.none() | st.booleans() | safe_ints | st.text("xyz"),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text("abc"), inner, max_size=3),
    max_leaves=10,
)


@settings(max_examples=300, deadline=None)
@given(value=json_values)
def test_canonical_bytes_are_those_of_rfc8785_and_parse_back(value: object) -> None:
    # given / when
    raw = canonical_bytes(value)
    # then
    assert raw == rfc8785.dumps(value)  # type: ignore[arg-type]
    assert parse_canonical(raw) == value


@settings(max_examples=200, deadline=None)
@given(value=json_values)
def test_canonical_bytes_are_read_at_once_unless_a_character_lies_beyond_the_bmp(value: object) -> None:
    # given
    raw = canonical_bytes(value)
    # when
    found = canonical._canonical_at_once(raw, raw.decode())
    # then: the quick reading (tests/core/test_written_forms.py) takes every text of the BMP
    astral = any(0xF0 <= byte <= 0xF4 for byte in raw)
    assert found is canonical._UNDECIDED if astral else found == value


@settings(max_examples=200, deadline=None)
@given(value=st.dictionaries(st.text("abc"), plain_values, min_size=1, max_size=4), data=st.data())
def test_any_added_whitespace_is_not_canonical(value: dict[str, object], data: st.DataObject) -> None:
    # given: a space after one of the structural characters (strings here hold none of them)
    raw = canonical_bytes(value)
    spots = [i for i, b in enumerate(raw) if b in b"{[:,"]
    at = data.draw(st.sampled_from(spots))
    spaced = raw[: at + 1] + b" " + raw[at + 1 :]
    # when / then
    with pytest.raises((NonCanonical, NotJson)):
        parse_canonical(spaced)


@pytest.mark.parametrize(
    "raw",
    [
        b'{"n":1.0}',
        b'{"n":1e2}',
        b'{"n":9007199254740992}',
        b'{"n":-9007199254740992}',
        b'{"a":1,"a":2}',
        b'["\\ud800"]',
        b"1" * 5000,
    ],
)
def test_floats_big_integers_duplicate_keys_and_lone_surrogates_are_forbidden(raw: bytes) -> None:
    # given / when / then
    with pytest.raises(ForbiddenValue):
        parse_canonical(raw)


@pytest.mark.parametrize(
    "value", [1.5, {"x": 0.0}, 2**53, [-(2**53)], {1: "non-string key"}, "\ud800", b"raw"]
)
def test_values_signed_data_may_not_hold_are_refused(value: object) -> None:
    # given / when / then
    with pytest.raises(ForbiddenValue):
        canonical_bytes(value)


def test_nesting_deeper_than_the_limit_is_refused() -> None:
    # given
    value: object = 0
    for _ in range(40):
        value = [value]
    # when / then
    with pytest.raises(ForbiddenValue):
        canonical_bytes(value)


@pytest.mark.parametrize("raw", [b'{"a":"\\u00e9"}', b'{"b":1,"a":2}', b'{"a":"\\/"}', b"\xef\xbb\xbf{}"])
def test_equivalent_but_different_bytes_are_not_canonical(raw: bytes) -> None:
    # given / when / then
    with pytest.raises((NonCanonical, NotJson)):
        parse_canonical(raw)


@pytest.mark.parametrize(
    "raw", [b"", b"{", b'{"a":"\xff"}', b"\xed\xa0\x80", b"NaN", b'{"n":-Infinity}', b"[01]", b"[1,]"]
)
def test_bytes_that_are_not_utf8_json_are_refused(raw: bytes) -> None:
    # given / when / then
    with pytest.raises(NotJson):
        parse_canonical(raw)


def test_keys_beyond_the_bmp_sort_by_utf16_code_units() -> None:
    # given: U+1F600 is D83D DE00 in UTF-16, so it sorts before U+FFFF although its code point is larger
    value = {"\uffff": 1, "\U0001f600": 2}
    # when / then
    assert canonical_bytes(value) == '{"\U0001f600":2,"\uffff":1}'.encode()


def nested_arrays(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


def test_arrays_and_objects_nest_32_deep_and_no_deeper() -> None:
    # given: the innermost array is empty, so only arrays and objects count
    deepest = parse_canonical(nested_arrays(32))
    # when / then
    assert canonical_bytes(deepest) == nested_arrays(32)
    with pytest.raises(NotJson) as caught:
        parse_canonical(nested_arrays(33))
    assert caught.value.detail["reason"] == "too_deep"
    with pytest.raises(ForbiddenValue):
        canonical_bytes([deepest])
    with pytest.raises(NotJson):
        parse_canonical(b'{"a":' * 16 + nested_arrays(17) + b"}" * 16)


@pytest.mark.parametrize(
    "raw",
    [
        b"[1.5,}",  # a float before the syntax error
        b'{"a":1,"a":2} x',  # a key twice, then text after the value
        b"[1.5," + nested_arrays(40) + b"]",  # a float, then nesting too deep
        b"[9007199254740992,NaN]",  # an integer out of range, then a constant
        b"[" + b"9" * 5000 + b",]",  # thousands of digits, then a trailing comma
    ],
)
def test_not_json_wins_over_a_forbidden_value_wherever_each_stands(raw: bytes) -> None:
    # given / when / then
    with pytest.raises(NotJson):
        parse_canonical(raw)


def test_a_forbidden_value_wins_over_non_canonical_bytes() -> None:
    # given: whitespace (non-canonical) and a float (forbidden) in one text
    raw = b'{ "n": 1.5 }'
    # when / then
    with pytest.raises(ForbiddenValue):
        parse_canonical(raw)
