"""The browser's verifier (static/web/js/record-verify.js), written from docs/record-format.md alone, in a
real Chromium: every case of docs/record-vectors.json gives the outcome the vectors expect of a verifier
that does steps 1-7 and 9 (`expect_without_rules`), every rejected text its code, and an export of a
record reads and verifies while a misplaced or repeated body line is refused (docs/export-format.md).

The scripts are served from the source tree by Playwright's router at http://localhost (a secure
context), as in test_device_key_js.py: no server, no database, one browser per module.
"""

import hashlib
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from nacl.exceptions import BadSignatureError
from nacl.signing import SigningKey, VerifyKey

from ayllu.cli.exportfile import write_export
from factories.records import MemoryRecord, found_record, sample_record

from .browsing import PHONE
from .test_device_key_js import ORIGIN, serve_static

pytestmark = pytest.mark.browser

VECTORS = json.loads(
    (Path(__file__).resolve().parents[2] / "docs" / "record-vectors.json").read_text("utf-8")
)
CASES = {case["name"]: case for case in VECTORS["verify_cases"]}
FORMAT2 = VECTORS["format2"]
FORMAT2_CASES = {case["name"]: case for case in FORMAT2["verify_cases"]}

# Builds a case's inputs from the vectors exactly as the file describes them, and runs the verifier.
RUN_CASE = """async ({record, c, engine}) => {
    const v = await import("/static/web/js/record-verify.js");
    v.useJsEd25519(engine === "js");
    const enc = new TextEncoder();
    const visible = c.visible || ["public", "members"];
    const held = new Map();
    const all = [...record.bodies.map((b) => ({hash: b.hash, vis: b.vis, text: b.canonical})), ...c.bodies];
    for (const b of all) {
        if (visible.includes(b.vis)) held.set(`${b.hash}/${b.vis}`, {bytes: enc.encode(b.text), vis: b.vis});
    }
    const keysOf = (hash) => [...held.keys()].filter((k) => k.startsWith(hash + "/"));
    for (const m of c.held_as || []) for (const k of keysOf(m.hash)) {
        const found = held.get(k);
        held.delete(k);
        held.set(`${m.hash}/${m.vis}`, {bytes: found.bytes, vis: m.vis});
    }
    for (const gone of c.withheld || []) for (const k of keysOf(gone)) held.delete(k);
    for (const gone of c.erased || []) for (const k of keysOf(gone)) held.set(k, v.ERASED);
    const entries = c.entries.map((e) => enc.encode(typeof e === "number" ? record.entries[e - 1].raw : e));
    const verifier = new v.RecordVerifier({
        log: c.log, visible,
        checkpoints: (c.checkpoints || []).map((x) => enc.encode(x)),
        receipts: (c.receipts || []).map((x) => enc.encode(x)),
    });
    await verifier.start();
    // In two pages, as the record page fetches them.
    const half = Math.ceil(entries.length / 2);
    const lookup = (hash, vis) => held.get(`${hash}/${vis}`) ?? null;
    await verifier.add(entries.slice(0, half), lookup);
    await verifier.add(entries.slice(half), lookup);
    const r = await verifier.finish();
    return {ok: r.ok, size: r.size, head: r.head, root: r.root, replayed: r.replayed,
            problem: r.problem && {seq: r.problem.seq, code: r.problem.code}, founding: r.founding};
}"""

# A format-2 case (record-format.md section 13): the verifier holds the bodies of the visibilities it may
# see, as the record page does (a public verifier holds no members-only words), and `erased` as erased.
RUN_FORMAT2 = """async ({record, c, engine}) => {
    const v = await import("/static/web/js/record-verify.js");
    v.useJsEd25519(engine === "js");
    const enc = new TextEncoder();
    const held = new Map();
    for (const b of record.bodies) {
        if (!c.visible.includes(b.vis)) continue;
        held.set(`${b.hash}/${b.vis}`, {bytes: enc.encode(b.canonical), vis: b.vis});
    }
    for (const b of c.erased || []) held.set(`${b.hash}/${b.vis}`, v.ERASED);
    const entries = c.entries.map((e) => enc.encode(typeof e === "number" ? record.entries[e - 1].raw : e));
    const verifier = new v.RecordVerifier({log: record.log, visible: c.visible});
    await verifier.start();
    await verifier.add(entries, (hash, vis) => held.get(`${hash}/${vis}`) ?? null);
    const r = await verifier.finish();
    return {ok: r.ok, size: r.size, head: r.head, root: r.root, replayed: r.replayed,
            problem: r.problem && {seq: r.problem.seq, code: r.problem.code}, founding: r.founding};
}"""

PARSE = """async ({hex}) => {
    const v = await import("/static/web/js/record-verify.js");
    const bytes = Uint8Array.from(hex.match(/../g) || [], (b) => parseInt(b, 16));
    try { v.parseCanonical(bytes); return null; } catch (error) { return error.code || String(error); }
}"""

READ_EXPORT = """async ({text}) => {
    const v = await import("/static/web/js/record-verify.js");
    let record;
    try { record = await v.readExport(text); }
    catch (error) { return {refused: error.code, detail: error.detail}; }
    const verifier = new v.RecordVerifier(
        {log: record.log, visible: record.visible, checkpoints: record.checkpoints}
    );
    await verifier.start();
    await verifier.add(record.entries, (hash, vis) => record.bodies.get(`${hash}/${vis}`) ?? null);
    const r = await verifier.finish();
    return {ok: r.ok, size: r.size, root: r.root, problem: r.problem && r.problem.code};
}"""


@pytest.fixture(scope="module")
def js_page(browser: Any) -> Iterator[Any]:
    """One page at http://localhost that serves the node's static files."""
    context = browser.new_context(viewport=PHONE)
    context.route(f"{ORIGIN}/**", serve_static)
    page = context.new_page()
    page.goto(ORIGIN + "/")
    yield page
    context.close()


def expected_founding(case: dict[str, Any]) -> str | None:
    """What checking the founding alone finds: the code of a case failing at entry 1 with the rules on."""
    if case["expect_without_rules"]["size"] == 0:
        return "not_checked"  # entry 1 itself is refused before its body is read
    problem = case["expect"]["problem"]
    return problem["code"] if problem and problem["seq"] == 1 else None


@pytest.mark.parametrize("engine", ["webcrypto", "js"])
@pytest.mark.parametrize("name", list(CASES))
def test_the_browser_verifier_gives_every_case_its_expected_outcome(
    js_page: Any, name: str, engine: str
) -> None:
    # given: signatures checked by the browser's WebCrypto, or by ed25519.js where it has none
    case = CASES[name]
    # when
    got = js_page.evaluate(RUN_CASE, {"record": VECTORS["record"], "c": case, "engine": engine})
    # then
    assert got == {**case["expect_without_rules"], "replayed": 0, "founding": expected_founding(case)}


@pytest.mark.parametrize("engine", ["webcrypto", "js"])
@pytest.mark.parametrize("name", list(FORMAT2_CASES))
def test_the_browser_verifier_reads_act_format_2_as_the_vectors_expect(
    js_page: Any, name: str, engine: str
) -> None:
    # given: a record of format-2 acts (a public rule body, words under the act's visibility)
    case = FORMAT2_CASES[name]
    # when
    got = js_page.evaluate(RUN_FORMAT2, {"record": FORMAT2, "c": case, "engine": engine})
    # then: as a verifier without the rules (an erasure without its act needs them to be caught)
    assert got == {**case["expect_without_rules"], "replayed": 0, "founding": None}


def test_the_browser_refuses_every_rejected_text_with_its_code_and_reads_every_canonical_one(
    js_page: Any,
) -> None:
    # given
    rejected = VECTORS["rejected"]
    # when
    codes = {
        r["name"]: js_page.evaluate(PARSE, {"hex": r.get("text_hex") or r["text"].encode().hex()})
        for r in rejected
    }
    accepted = {c["name"]: js_page.evaluate(PARSE, {"hex": c["canonical_hex"]}) for c in VECTORS["canonical"]}
    # then
    assert codes == {r["name"]: r["code"] for r in rejected}
    assert set(accepted.values()) == {None}


def _export_lines(record: MemoryRecord) -> list[str]:
    out = io.StringIO()
    write_export(
        out,
        log=record.log,
        name="Junta vecinal",
        visible=frozenset({"public", "members"}),
        entries=((e.raw, e.act) for e in record.entries),
        bodies=dict(record.bodies),
        checkpoints=(),
    )
    return out.getvalue().splitlines(keepends=True)


def test_an_export_reads_and_verifies_in_the_browser(js_page: Any) -> None:
    # given: a record with a members-only body, exported as `ayllu export` writes it
    record = sample_record(4)
    record.post("ana", text="Solo para socias", vis="members")
    # when
    got = js_page.evaluate(READ_EXPORT, {"text": "".join(_export_lines(record))})
    # then
    assert got["ok"] and got["size"] == 5


def _format_2_record() -> MemoryRecord:
    """Format-2 acts, two of which share one rule body with their words under two visibilities."""
    record = found_record(split=True)
    record.post("ana", text="Asamblea el sábado", vis="public")
    record.post("bea", text="Asamblea el sábado", vis="members")
    record.post("ana", text="Solo para socias", vis="members")
    return record


def test_a_format_2_export_reads_and_verifies_in_the_browser(js_page: Any) -> None:
    # given: the shared rule body travels once, each act's words after both it and their entry
    lines = _export_lines(_format_2_record())
    # when
    got = js_page.evaluate(READ_EXPORT, {"text": "".join(lines)})
    # then
    assert len(lines) == 1 + 2 + 3 + 2 + 3  # head, founding and its body, 3 + 2 + 3 lines of notices
    assert got["ok"] and got["size"] == 4 and got["problem"] is None


def test_the_browser_refuses_format_2_words_before_their_rule_body(js_page: Any) -> None:
    # given: entry 2's words moved before the rule body that names them
    lines = _export_lines(_format_2_record())
    lines.insert(4, lines.pop(5))
    # when
    got = js_page.evaluate(READ_EXPORT, {"text": "".join(lines)})
    # then
    assert got["refused"] == "malformed_export"
    assert got["detail"]["reason"] == "body_before_entry" and got["detail"]["line"] == 5


@pytest.mark.parametrize(
    ("change", "reason", "line"),
    [
        (lambda lines: lines.insert(3, lines.pop(4)), "body_before_entry", 4),
        (lambda lines: lines.insert(5, lines[4]), "duplicate_body", 6),
    ],
    ids=["body_before_entry", "duplicate_body"],
)
def test_the_browser_refuses_an_export_with_a_misplaced_or_repeated_body(
    js_page: Any, change: Any, reason: str, line: int
) -> None:
    # given
    lines = _export_lines(sample_record(3))
    change(lines)
    # when
    got = js_page.evaluate(READ_EXPORT, {"text": "".join(lines)})
    # then
    assert got["refused"] == "malformed_export"
    assert got["detail"]["reason"] == reason and got["detail"]["line"] == line


def _nacl_verifies(public: bytes, signature: bytes, message: bytes) -> bool:
    try:
        VerifyKey(public).verify(message, signature)
    except (BadSignatureError, ValueError):
        return False
    return True


def _signature_cases() -> list[tuple[str, bytes, bytes, bytes]]:
    """(name, public key, signature, message): valid ones, and each kind libsodium refuses."""
    order = 2**252 + 27742317777372353535851937790883648493
    cases = []
    for i in range(4):
        key = SigningKey(hashlib.sha256(f"ed25519-js/{i}".encode()).digest())
        message = f"mensaje {i}".encode() * i
        signature = key.sign(message).signature
        public = bytes(key.verify_key)
        high_s = signature[:32] + (int.from_bytes(signature[32:], "little") + order).to_bytes(32, "little")
        cases += [
            (f"valid_{i}", public, signature, message),
            (f"other_message_{i}", public, signature, message + b"."),
            (f"flipped_r_{i}", public, bytes([signature[0] ^ 1]) + signature[1:], message),
            (f"s_plus_order_{i}", public, high_s, message),
        ]
    identity = bytes([1]) + bytes(31)  # the neutral point: small order
    cases.append(("small_order_key", identity, identity + bytes(32), b"any"))
    # R the neutral point, S = k * a: passes S*B - k*A == R, which RFC 8032 accepts and libsodium refuses.
    seed = hashlib.sha256(b"ed25519-js/r").digest()
    digest = bytearray(hashlib.sha512(seed).digest()[:32])
    digest[0] &= 248
    digest[31] = (digest[31] & 127) | 64
    secret = int.from_bytes(digest, "little")
    public = bytes(SigningKey(seed).verify_key)
    k = int.from_bytes(hashlib.sha512(identity + public + b"any").digest(), "little") % order
    cases.append(("small_order_r", public, identity + (k * secret % order).to_bytes(32, "little"), b"any"))
    non_canonical = bytes([0xED]) + bytes([0xFF] * 30) + bytes([0x7F])  # y = p: not canonical
    cases.append(("non_canonical_key", non_canonical, bytes(64), b"any"))
    return cases


@pytest.mark.parametrize("engine", ["webcrypto", "js"])
def test_signatures_are_checked_as_strictly_as_libsodium(js_page: Any, engine: str) -> None:
    # given: WebCrypto alone would accept a small-order key that libsodium refuses
    cases = _signature_cases()
    # when
    got = js_page.evaluate(
        """async ({cases, engine}) => {
            const v = await import("/static/web/js/record-verify.js");
            v.useJsEd25519(engine === "js");
            const bytes = (hex) => Uint8Array.from(hex.match(/../g) || [], (b) => parseInt(b, 16));
            const out = {};
            for (const [name, key, sig, msg] of cases) {
                out[name] = await v.verifySignature(key, "", bytes(msg), sig);
            }
            return out;
        }""",
        {
            "cases": [[name, key.hex(), sig.hex(), msg.hex()] for name, key, sig, msg in cases],
            "engine": engine,
        },
    )
    # then
    assert got == {name: _nacl_verifies(key, sig, msg) for name, key, sig, msg in cases}
    assert sum(got.values()) == 4
