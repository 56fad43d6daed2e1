"""The device key's scripts in a real Chromium, without the node: canonical JSON byte for byte Python's,
signatures PyNaCl accepts, a private key that cannot be exported and that survives a browser restart.

The scripts are served from the source tree by Playwright's router at http://localhost (a secure
context), so these tests need no server and no database and share one browser per module.
"""

import hashlib
import itertools
import json
import mimetypes
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ayllu
from ayllu.core.errors import DomainError
from ayllu.core.ledger.canonical import MAX_SAFE_INTEGER, canonical_bytes
from ayllu.core.ledger.keys import ACT_CONTEXT, LOGIN_CONTEXT, verify_signature
from ayllu.core.ledger.record import Act, SignedAct

from .browsing import CHROMIUM_ARGS, PHONE
from .device_js import create_key, load_modules, stored_key

pytestmark = pytest.mark.browser

ORIGIN = "http://localhost:8765"
STATIC = Path(ayllu.__file__).parent / "web" / "static"
BLANK = "<!doctype html><html lang=en><title>device key</title><body></body></html>"
_logs = itertools.count(1)


def fresh_log() -> str:
    """A record id no other test in this browser has used, so each test makes its own key."""
    return f"{next(_logs):064x}"


def serve_static(route: Any) -> None:
    path = route.request.url.removeprefix(ORIGIN).split("?")[0]
    if path.startswith("/static/"):
        file = STATIC / path.removeprefix("/static/")
        if file.is_file():
            kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
            route.fulfill(status=200, body=file.read_bytes(), content_type=kind)
            return
        route.fulfill(status=404, body="")
        return
    route.fulfill(status=200, body=BLANK, content_type="text/html")


def open_page(context: Any) -> Any:
    context.route(f"{ORIGIN}/**", serve_static)
    page = context.new_page()
    page.goto(ORIGIN + "/")
    load_modules(page)
    return page


@pytest.fixture(scope="module")
def js_page(browser: Any) -> Iterator[Any]:
    """One page at http://localhost with the node's modules loaded as globals."""
    context = browser.new_context(viewport=PHONE)
    yield open_page(context)
    context.close()


def js_canonical_hex(page: Any, value: Any) -> str:
    return page.evaluate(
        """(text) => Array.from(
            canonical.canonicalBytes(JSON.parse(text)), b => b.toString(16).padStart(2, "0")
        ).join("")""",
        json.dumps(value),
    )


def nested(depth: int) -> Any:
    value: Any = "deep"
    for _ in range(depth):
        value = [value]
    return value


CORPUS: list[Any] = [
    {},
    [],
    "",
    0,
    True,
    False,
    None,
    {"b": 1, "a": 2, "c": {"z": [], "y": {}}},
    "Villa Esperanza: año, niño, acción, pingüino",
    "Aymara: Jallalla! Quechua: Allinllachu? ñuqanchik",
    "emoji 😀, flag 🇧🇴, family 👨‍👩‍👧, 𝄞 music",
    "controls \u0000 \u0001 \u0007 \u001f and \u007f",
    'quote " backslash \\ slash / tab \t newline \n cr \r bs \b ff \f',
    "line separators \u2028 \u2029, bom \ufeff, nbsp \u00a0, rtl \u200f",
    MAX_SAFE_INTEGER,
    -MAX_SAFE_INTEGER,
    10**15 + 1,
    -1,
    # UTF-16 order puts U+1F600 (D83D DE00) before U+FB01; code point order would not.
    {"\ufb01": 1, "😀": 2, "a": 3, "é": 4, "": 5, "A": 6, "\u0000": 7, "𝄞": 8, "\uffff": 9},
    {"nested": {"list": [1, "two", None, [True, {"z": 0, "y": [[], {}]}]]}},
    nested(32),  # as deep as signed data may go
    {
        "v": 1,
        "log": "ab" * 32,
        "type": "notice.posted",
        "author": "cd" * 32,
        "vis": "public",
        "nonce": "a_-1",
    },
]


@pytest.mark.parametrize("value", CORPUS, ids=range(len(CORPUS)))
def test_js_canonical_json_is_byte_for_byte_pythons(js_page: Any, value: Any) -> None:
    # when
    js = js_canonical_hex(js_page, value)
    # then
    assert js == canonical_bytes(value).hex()


SAFE_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-MAX_SAFE_INTEGER, MAX_SAFE_INTEGER) | SAFE_TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(SAFE_TEXT, inner, max_size=4),
    max_leaves=16,
)


def test_js_canonical_json_matches_python_on_generated_values(js_page: Any) -> None:
    @settings(max_examples=200, deadline=None)
    @given(JSON_VALUES)
    def same_bytes(value: Any) -> None:
        assert js_canonical_hex(js_page, value) == canonical_bytes(value).hex()

    same_bytes()


@pytest.mark.parametrize(
    ("expression", "reason", "python_value"),
    [
        ("1.5", "float", 1.5),
        ("2 ** 53", "integer_out_of_range", 2**53),
        ("-(2 ** 53)", "integer_out_of_range", -(2**53)),
        ("NaN", "float", float("nan")),
        ("Infinity", "float", float("inf")),
        ('"\\ud800 alone"', "lone_surrogate", "\ud800 alone"),
        ('{"key": "\\udfff"}', "lone_surrogate", {"key": "\udfff"}),
        ('{"\\ud83d": 1}', "lone_surrogate", {"\ud83d": 1}),
        ("JSON.parse('['.repeat(34) + ']'.repeat(34))", "too_deep", nested(33)),
        ("JSON.parse('['.repeat(33) + ']'.repeat(33))", "too_deep", json.loads("[" * 33 + "]" * 33)),
        ("{a: undefined}", "type", None),
        ("new Date(0)", "type", None),
        ("10n", "type", None),
    ],
)
def test_js_refuses_what_python_refuses(
    js_page: Any, expression: str, reason: str, python_value: Any
) -> None:
    # when
    refused = js_page.evaluate(
        f"""() => {{
            try {{ canonical.canonicalize({expression}); return null; }}
            catch (error) {{
                return error instanceof canonical.CanonicalError ? error.reason : String(error);
            }}
        }}"""
    )
    # then
    assert refused == reason
    if python_value is not None:
        with pytest.raises(DomainError) as python_refused:
            canonical_bytes(python_value)
        assert python_refused.value.detail["reason"] == reason


def test_act_signed_in_chromium_verifies_with_pynacl(js_page: Any) -> None:
    # given
    log = fresh_log()
    public = create_key(js_page, log)
    act = Act(log=log, type="notice.posted", author=public, vis="public", body="ef" * 32, nonce="n-1")
    # when
    asig = js_page.evaluate("(act) => keys.signAct(act)", act.as_json())
    # then
    assert len(public) == 64 and len(asig) == 128
    SignedAct(act, asig).check()
    assert verify_signature(public, ACT_CONTEXT, act.signing_bytes(), asig)
    assert not verify_signature(public, LOGIN_CONTEXT, act.signing_bytes(), asig)


def test_signature_covers_the_exact_canonical_bytes_of_non_ascii_data(js_page: Any) -> None:
    # given
    log = fresh_log()
    public = create_key(js_page, log)
    value = {"text": "Jallalla 🇧🇴 \u2028 ñ", "n": MAX_SAFE_INTEGER, "\ufb01": [None, True], "😀": {}}
    # when
    sig = js_page.evaluate(
        "([log, value]) => keys.signCanonical(log, keys.LOGIN_CONTEXT, value)", [log, value]
    )
    # then
    assert verify_signature(public, LOGIN_CONTEXT, canonical_bytes(value), sig)
    assert not verify_signature(public, LOGIN_CONTEXT, canonical_bytes({**value, "n": 0}), sig)


def test_sha256_matches_pythons(js_page: Any) -> None:
    # given
    text = '{"text":"aviso ñ 😀"}'
    # when
    digest = js_page.evaluate("(text) => keys.sha256Hex(new TextEncoder().encode(text))", text)
    # then
    assert digest == hashlib.sha256(text.encode()).hexdigest()


def test_private_key_cannot_be_exported_and_a_key_is_never_overwritten(js_page: Any) -> None:
    # given
    log = fresh_log()
    public = create_key(js_page, log)
    # when
    outcome = js_page.evaluate(
        """async (log) => {
            const stored = await keys.getDeviceKey(log);
            const tries = {};
            for (const format of ["pkcs8", "jwk", "raw"]) {
                try {
                    await crypto.subtle.exportKey(format, stored.keys.privateKey);
                    tries[format] = "exported";
                } catch (error) {
                    tries[format] = error.name;
                }
            }
            let again;
            try { await keys.createDeviceKey(log); again = "created"; } catch (error) { again = error.code; }
            return { extractable: stored.keys.privateKey.extractable, tries, again };
        }""",
        log,
    )
    # then
    assert outcome["extractable"] is False
    assert set(outcome["tries"].values()) <= {"InvalidAccessError", "NotSupportedError"}
    assert outcome["again"] == "key_exists"
    assert stored_key(js_page, log) == public


def test_each_assembly_gets_its_own_key(js_page: Any) -> None:
    # given
    first_log, second_log = fresh_log(), fresh_log()
    # when
    first, second = create_key(js_page, first_log), create_key(js_page, second_log)
    # then
    assert first != second
    assert stored_key(js_page, first_log) == first
    assert stored_key(js_page, fresh_log()) is None


def test_signing_without_a_key_fails_with_a_code(js_page: Any) -> None:
    # when
    code = js_page.evaluate(
        "async (log) => { try { await keys.signAct({log}); return null; } catch (e) { return e.code; } }",
        fresh_log(),
    )
    # then
    assert code == "no_key"


def test_key_survives_reload_and_browser_restart(playwright: Any, chromium: str, tmp_path: Path) -> None:
    # given
    profile, log = tmp_path / "profile", fresh_log()

    def open_browser() -> Any:
        return playwright.chromium.launch_persistent_context(
            str(profile), executable_path=chromium, args=CHROMIUM_ARGS, headless=True, viewport=PHONE
        )

    context = open_browser()
    page = open_page(context)
    public = create_key(page, log)
    # when: the page is reloaded, then the whole browser is closed and opened again
    page.reload()
    load_modules(page)
    after_reload = stored_key(page, log)
    context.close()
    context = open_browser()
    page = open_page(context)
    after_restart = stored_key(page, log)
    statement = {"v": 1, "challenge": "00" * 32}
    sig = page.evaluate("([log, value]) => keys.signLogin(log, value)", [log, statement])
    context.close()
    # then
    assert after_reload == public and after_restart == public
    assert verify_signature(public, LOGIN_CONTEXT, canonical_bytes(statement), sig)


def test_act_body_is_built_from_form_fields_by_the_documented_convention(js_page: Any) -> None:
    # given
    form_html = """
      <form data-ayllu-act>
        <input name="body.title" value="Agua potable ñ">
        <input name="body.seats" type="number" value="12">
        <input name="body.rank" data-ayllu-kind="int" value="-3">
        <input name="body.urgent" type="checkbox" checked>
        <input name="body.public" type="checkbox">
        <input name="body.options" data-ayllu-kind="list" value="sí">
        <input name="body.options" data-ayllu-kind="list" value="no">
        <select name="body.days" multiple><option selected>lunes</option><option>martes</option>
          <option selected>sábado</option></select>
        <input name="body.effect" data-ayllu-kind="json" value='{"matter": "ordinary", "n": 1}'>
        <input name="body.note" data-ayllu-optional value="">
        <input name="other" value="not in the body">
      </form>"""
    # when
    body = js_page.evaluate(
        """(html) => {
            const holder = document.createElement("div");
            holder.innerHTML = html;
            document.body.append(holder);
            const body = actForm.bodyFromForm(holder.querySelector("form"));
            holder.remove();
            return body;
        }""",
        form_html,
    )
    # then
    assert body == {
        "title": "Agua potable ñ",
        "seats": 12,
        "rank": -3,
        "urgent": True,
        "public": False,
        "options": ["sí", "no"],
        "days": ["lunes", "sábado"],
        "effect": {"matter": "ordinary", "n": 1},
    }


@pytest.mark.parametrize(
    ("field", "code"),
    [
        ('<input name="body.n" type="number" value="1.5">', "not_an_integer"),
        ('<input name="body.n" type="number" value="">', "missing"),
        ('<input name="body.j" data-ayllu-kind="json" value="{nope">', "not_json"),
        ('<input data-ayllu-body value=\'{"b":1,"a":2}\'>', "not_canonical"),
    ],
)
def test_form_fields_that_cannot_be_signed_are_refused_before_signing(
    js_page: Any, field: str, code: str
) -> None:
    # when
    refused = js_page.evaluate(
        """(html) => {
            const holder = document.createElement("div");
            holder.innerHTML = `<form data-ayllu-act>${html}</form>`;
            try { actForm.bodyFromForm(holder.querySelector("form")); return null; }
            catch (error) { return error.code; }
        }""",
        field,
    )
    # then
    assert refused == code


def test_body_given_whole_by_the_server_is_used_as_it_is(js_page: Any) -> None:
    # given
    text = canonical_bytes({"a": [1, "ñ"], "b": {"😀": None}}).decode()
    # when
    body = js_page.evaluate(
        """(text) => {
            const form = document.createElement("form");
            const input = document.createElement("input");
            input.setAttribute("data-ayllu-body", "");
            input.value = text;
            form.append(input);
            return canonical.canonicalize(actForm.bodyFromForm(form));
        }""",
        text,
    )
    # then
    assert body == text
