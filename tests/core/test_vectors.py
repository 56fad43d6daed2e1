"""docs/record-vectors.json: the code still produces it, and it checks out by the spec's rules alone.

The second half re-derives every vector with hashlib, PyNaCl, rfc8785 and pymerkle only, as an
independent verifier written from docs/record-format.md would, so the document cannot drift from the code.
"""

import hashlib
import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest
import rfc8785
from nacl.signing import SigningKey, VerifyKey
from pymerkle import InmemoryTree

from ayllu.core.errors import DomainError
from ayllu.core.ledger import keys
from ayllu.core.ledger.canonical import parse_canonical
from ayllu.core.ledger.checkpoints import parse_checkpoint, parse_receipt
from ayllu.core.ledger.citations import check_citation, held_copy_of, parse_citation_bytes
from ayllu.core.ledger.evidence import check_evidence
from ayllu.core.ledger.merkle import check_consistency, check_inclusion
from ayllu.core.ledger.record import Body, BodyKey, parse_entry
from ayllu.core.ledger.verify import ERASED, Erased, verify_record

ROOT = Path(__file__).resolve().parents[2]
VECTORS_PATH = ROOT / "docs" / "record-vectors.json"
ACT_FIELDS = ("v", "log", "type", "author", "vis", "body", "nonce")


def load_script() -> Any:
    spec = importlib.util.spec_from_file_location("make_vectors", ROOT / "scripts" / "make_vectors.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def vectors() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(VECTORS_PATH.read_text(encoding="utf-8"))
    return loaded


def ctx(vectors: dict[str, Any], name: str) -> bytes:
    return bytes.fromhex(vectors["contexts"][name]["hex"])


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_the_file_is_exactly_what_the_code_builds_from_the_seeds() -> None:
    # given
    script = load_script()
    # when
    fresh = script.render(script.build_vectors())
    # then
    assert VECTORS_PATH.read_text(encoding="utf-8") == fresh, "run scripts/make_vectors.py"


def test_contexts_are_the_ones_the_code_signs_with(vectors: dict[str, Any]) -> None:
    # given / when / then
    assert ctx(vectors, "act") == keys.ACT_CONTEXT == b"ayllu/v1/act\x00"
    assert ctx(vectors, "entry") == keys.ENTRY_CONTEXT
    assert ctx(vectors, "checkpoint") == keys.CHECKPOINT_CONTEXT
    assert ctx(vectors, "receipt") == keys.RECEIPT_CONTEXT
    assert ctx(vectors, "endorse") == keys.ENDORSE_CONTEXT
    assert ctx(vectors, "log") == keys.LOG_CONTEXT


def test_public_keys_come_from_the_seeds(vectors: dict[str, Any]) -> None:
    # given / when / then
    for k in vectors["keys"]:
        assert bytes(SigningKey(bytes.fromhex(k["seed"])).verify_key).hex() == k["public"]


def test_canonical_forms_agree_with_an_independent_rfc8785_encoder(vectors: dict[str, Any]) -> None:
    # given / when / then
    for case in vectors["canonical"]:
        assert rfc8785.dumps(json.loads(case["input"])).decode() == case["canonical"], case["name"]
        assert bytes.fromhex(case["canonical_hex"]) == case["canonical"].encode()
        parse_canonical(case["canonical"].encode())


def test_rejected_bytes_are_rejected_with_their_code(vectors: dict[str, Any]) -> None:
    # given / when / then
    for case in vectors["rejected"]:
        raw = bytes.fromhex(case["text_hex"]) if "text_hex" in case else case["text"].encode()
        with pytest.raises(DomainError) as caught:
            parse_canonical(raw)
        assert caught.value.code == case["code"], case["name"]


def test_bodies_hash_to_their_names_and_the_log_derives_from_the_founding_body(
    vectors: dict[str, Any],
) -> None:
    # given
    record = vectors["record"]
    bodies = {b["hash"]: b for b in record["bodies"]}
    # when / then
    for h, body in bodies.items():
        assert sha256(body["canonical"].encode()) == h
        assert rfc8785.dumps(json.loads(body["canonical"])).decode() == body["canonical"]
    founding = bodies[record["founding_body"]]["canonical"].encode()
    assert sha256(ctx(vectors, "log") + founding) == record["log"]


def test_entries_check_out_by_the_spec_alone(vectors: dict[str, Any]) -> None:
    # given
    record = vectors["record"]
    prev = ""
    for seq, entry in enumerate(record["entries"], start=1):
        raw = entry["raw"].encode()
        header = json.loads(raw)
        # when: the act, the node's part, the hash and the leaf are rebuilt from the header
        act_bytes = rfc8785.dumps({name: header[name] for name in ACT_FIELDS})
        node_bytes = rfc8785.dumps({k: v for k, v in header.items() if k != "nsig"})
        # then
        assert rfc8785.dumps(header) == raw
        assert (header["seq"], header["prev"], header["log"], header["v"]) == (seq, prev, record["log"], 1)
        assert act_bytes.decode() == entry["act_signing_bytes"]
        assert node_bytes.decode() == entry["node_signing_bytes"]
        VerifyKey(bytes.fromhex(header["author"])).verify(
            ctx(vectors, "act") + act_bytes, bytes.fromhex(header["asig"])
        )
        VerifyKey(bytes.fromhex(header["node"])).verify(
            ctx(vectors, "entry") + node_bytes, bytes.fromhex(header["nsig"])
        )
        assert sha256(ctx(vectors, "act") + act_bytes) == entry["act_id"]
        assert sha256(raw) == entry["hash"]
        assert sha256(b"\x00" + bytes.fromhex(entry["hash"])) == entry["leaf_hash"]
        assert header["body"] in {b["hash"] for b in record["bodies"]}
        prev = entry["hash"]


def test_merkle_vectors_agree_with_pymerkle_and_verify(vectors: dict[str, Any]) -> None:
    # given
    merkle = vectors["merkle"]
    hashes = merkle["entry_hashes"]
    tree = InmemoryTree(algorithm="sha256")
    for h in hashes:
        tree.append_entry(bytes.fromhex(h))
    # when / then
    assert hashes == [e["hash"] for e in vectors["record"]["entries"]]
    for size, root in enumerate(merkle["roots"]):
        assert tree.get_root(size).hex() == root
    for case in merkle["inclusion"]:
        theirs = tree.prove_inclusion(case["index"] + 1, case["size"]).serialize()["path"][1:]
        assert case["proof"] == theirs
        check_inclusion(
            hashes[case["index"]],
            index=case["index"],
            size=case["size"],
            proof=case["proof"],
            root=merkle["roots"][case["size"]],
        )
    for case in merkle["consistency"]:
        m, n = case["old_size"], case["new_size"]
        check_consistency(
            merkle["roots"][m], old_size=m, new_root=merkle["roots"][n], new_size=n, proof=case["proof"]
        )


def test_the_checkpoint_and_receipt_are_signed_over_their_contexts(vectors: dict[str, Any]) -> None:
    # given
    for name, parse in (("checkpoint", parse_checkpoint), ("receipt", parse_receipt)):
        raw = vectors[name]["raw"].encode()
        obj = json.loads(raw)
        # when
        signed = rfc8785.dumps({k: v for k, v in obj.items() if k != "sig"})
        # then
        assert signed.decode() == vectors[name]["signed_bytes"]
        VerifyKey(bytes.fromhex(obj["node"])).verify(ctx(vectors, name) + signed, bytes.fromhex(obj["sig"]))
        parse(raw)
    checkpoint = json.loads(vectors["checkpoint"]["raw"])
    assert checkpoint["root"] == vectors["merkle"]["roots"][checkpoint["size"]]


def test_every_verify_case_is_named_once_and_every_code_of_section_11_has_a_case(
    vectors: dict[str, Any],
) -> None:
    # given
    cases = vectors["verify_cases"]
    # when
    codes = {c["expect"]["problem"]["code"] for c in cases if c["expect"]["problem"]}
    # then
    assert len({c["name"] for c in cases}) == len(cases)
    assert {
        "not_json", "forbidden_value", "non_canonical", "malformed_entry", "bad_author_signature",
        "bad_node_signature", "wrong_log", "seq_gap", "broken_chain", "duplicate_act", "missing_body",
        "inconsistent_checkpoint", "receipt_not_honoured", "bad_checkpoint_signature", "not_a_member",
        "not_founded", "unknown_entry_type", "not_the_records_node", "move_not_endorsed",
        "bad_move_endorsement", "missing_endorsement", "bad_endorsement", "not_a_founder",
        "malformed_checkpoint", "malformed_receipt", "bad_receipt_signature", "time_went_back",
    } <= codes  # fmt: skip


def case_bodies(vectors: dict[str, Any], case: dict[str, Any]) -> dict[BodyKey, Body | Erased]:
    """Every body the case may hold, from the file alone, as section 11's lookup by (hash, vis)."""
    visible = set(case.get("visible", ("public", "members")))
    held: dict[BodyKey, Body | Erased] = {}
    items = [{"text": b["canonical"], "vis": b["vis"]} for b in vectors["record"]["bodies"]] + case["bodies"]
    for item in items:
        if item["vis"] in visible:
            body = Body(item["text"].encode(), item["vis"])
            held[body.key] = body
    for moved in case.get("held_as", ()):
        for key in [k for k in held if k[0] == moved["hash"]]:
            found = held.pop(key)
            assert isinstance(found, Body)
            held[(moved["hash"], moved["vis"])] = Body(found.raw, moved["vis"])
    for gone in case.get("withheld", ()):
        for key in [k for k in held if k[0] == gone]:
            del held[key]
    for gone in case.get("erased", ()):
        for key in [k for k in held if k[0] == gone]:
            held[key] = ERASED
    return held


@pytest.mark.parametrize("rules", [True, False])
def test_every_verify_case_verifies_as_expected_from_what_the_file_holds(
    vectors: dict[str, Any], rules: bool
) -> None:
    # given: only the file: its entries, its bodies and each case's own bodies
    entries = [e["raw"].encode() for e in vectors["record"]["entries"]]
    for case in vectors["verify_cases"]:
        raws = [entries[e - 1] if isinstance(e, int) else e.encode() for e in case["entries"]]
        for body in case["bodies"]:
            assert sha256(body["text"].encode()) == body["hash"], case["name"]
        # when
        report = verify_record(
            case["log"],
            raws,
            bodies=case_bodies(vectors, case).get,
            checkpoints=[c.encode() for c in case.get("checkpoints", ())],
            receipts=[r.encode() for r in case.get("receipts", ())],
            visible=frozenset(case.get("visible", ("public", "members"))),
            rules=rules,
        )
        # then
        expected = case["expect"] if rules else case["expect_without_rules"]
        problem = None if report.problem is None else {"seq": report.problem.seq, "code": report.problem.code}
        got = {
            "ok": report.ok, "size": report.size, "head": report.head, "root": report.root,
            "replayed": report.replayed, "problem": problem,
        }  # fmt: skip
        assert got == expected, case["name"]
        if report.ok:
            hashes = [sha256(raw) for raw in raws]
            assert report.head == hashes[-1]
            tree = InmemoryTree(algorithm="sha256")
            for h in hashes:
                tree.append_entry(bytes.fromhex(h))
            assert report.root == tree.get_root(len(hashes)).hex(), case["name"]


def test_format_2_entries_split_rule_data_and_words_by_the_spec_alone(vectors: dict[str, Any]) -> None:
    # given
    record = vectors["format2"]
    bodies = {(b["hash"], b["vis"]): b["canonical"] for b in record["bodies"]}
    for key, canonical in bodies.items():
        assert sha256(canonical.encode()) == key[0]
        assert rfc8785.dumps(json.loads(canonical)).decode() == canonical
    for entry in record["entries"][1:]:
        header = json.loads(entry["raw"])
        act_bytes = rfc8785.dumps({name: header[name] for name in ACT_FIELDS})
        # when: the rule body is looked up as public, the words by the hash it names under the act's vis
        rule = json.loads(bodies[(header["body"], "public")])
        words = rule.pop("words")
        said = json.loads(bodies[(words["hash"], header["vis"])])
        # then
        assert header["v"] == 2 and act_bytes.decode() == entry["act_signing_bytes"]
        VerifyKey(bytes.fromhex(header["author"])).verify(
            ctx(vectors, "act") + act_bytes, bytes.fromhex(header["asig"])
        )
        prose = set(record["prose_fields"][header["type"]])
        assert sorted(said) == words["fields"] and set(said) <= prose
        assert not prose & set(rule)


def test_format_2_cases_cover_what_an_anonymous_replica_must_catch(vectors: dict[str, Any]) -> None:
    # given
    cases = {c["name"]: c["expect"] for c in vectors["format2"]["verify_cases"]}
    # when / then
    anonymous = cases["anonymous_replays_every_rule"]
    assert anonymous["ok"] and anonymous["replayed"] == anonymous["size"] == 6
    assert cases["words_erased_by_their_author"]["ok"]
    assert cases["words_erased_without_an_act"]["problem"] == {"seq": 5, "code": "unauthorised_erasure"}
    decided = cases["words_erased_by_a_decision"]
    assert decided["ok"] and decided["replayed"] == decided["size"] == 13
    assert cases["words_erased_before_the_decision"]["problem"] == {"seq": 7, "code": "unauthorised_erasure"}
    assert cases["non_member_seen_by_anonymous"]["problem"] == {"seq": 6, "code": "not_a_member"}
    assert cases["old_format_after_new"]["problem"] == {"seq": 6, "code": "malformed_entry"}
    assert cases["words_in_rule_data"]["problem"] == {"seq": 6, "code": "malformed_body"}


def test_every_citation_case_checks_as_expected_from_what_the_file_holds(vectors: dict[str, Any]) -> None:
    # given the record's entries as the file gives them, and each case's holdings
    entries = [parse_entry(e["raw"].encode()) for e in vectors["record"]["entries"]]
    cases = vectors["citations"]["cases"]
    codes = {c["expect"].get("code") for c in cases}
    assert {
        "malformed_citation", "citation_bad_checkpoint", "citation_bad_entry", "citation_bad_proof",
        "citation_fork", "citation_rolled_back",
    } <= codes  # fmt: skip
    assert len({c["name"] for c in cases}) == len(cases)
    for case in cases:
        # when
        found: dict[str, Any]
        try:
            citation = parse_citation_bytes(case["citation"].encode())
            held = None
            if case["held"] is not None:
                kept = [parse_checkpoint(c.encode()) for c in case["checkpoints"]]
                held = held_copy_of(entries[: case["held"]], citation=citation, checkpoints=kept)
            sealers = None if case["sealers"] is None else frozenset(case["sealers"])
            verdict = check_citation(citation, held=held, sealers=sealers)
            found = {"ok": True, "checked": verdict.checked, "sealer_confirmed": verdict.sealer_confirmed}
            found["ahead"] = verdict.ahead
        except DomainError as exc:
            evidence = exc.detail.get("evidence")
            reason = exc.detail.get("reason", exc.detail.get("field"))
            found = {"ok": False, "code": exc.code, "reason": reason}
            found["evidence"] = None if evidence is None else check_evidence(evidence.encode()).kind
        # then
        assert found == case["expect"], case["name"]


def test_the_good_citation_checks_out_by_the_spec_alone(vectors: dict[str, Any]) -> None:
    # given the citation every case alters, read with json, hashlib and PyNaCl only
    good = vectors["citations"]["good"]
    checkpoint = json.loads(good["checkpoint"])
    signed = rfc8785.dumps({k: v for k, v in checkpoint.items() if k != "sig"})
    # when: the leaf, walked up the audit path (RFC 9162 2.1.3.2), gives the checkpoint's root
    fn, sn = good["seq"] - 1, checkpoint["size"] - 1
    r = hashlib.sha256(b"\x00" + bytes.fromhex(good["entry"])).digest()
    for p in (bytes.fromhex(h) for h in good["proof"]):
        if fn & 1 or fn == sn:
            r = hashlib.sha256(b"\x01" + p + r).digest()
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = hashlib.sha256(b"\x01" + r + p).digest()
        fn, sn = fn >> 1, sn >> 1
    # then
    assert sha256(good["header"].encode()) == good["entry"]
    assert json.loads(good["header"])["seq"] == good["seq"] and checkpoint["log"] == good["log"]
    assert sn == 0 and r.hex() == checkpoint["root"]
    key = VerifyKey(bytes.fromhex(checkpoint["node"]))
    key.verify(ctx(vectors, "checkpoint") + signed, bytes.fromhex(checkpoint["sig"]))


def test_every_act_kind_of_federations_has_a_body_vector(vectors: dict[str, Any]) -> None:
    # given the record types of federations' act kinds, as the code lists them
    wanted = load_script().federation_types()
    # when / then: one body each, and every one among them
    assert [b["type"] for b in vectors["federation_bodies"]] == wanted
    assert {"federation.seated", "federation.voted", "delegate.accredited", "record.cited"} <= set(wanted)


def test_federation_bodies_split_into_rule_data_and_words_by_the_spec_alone(vectors: dict[str, Any]) -> None:
    for vector in vectors["federation_bodies"]:
        # given
        rule, words = vector["rule"], vector["words"]
        # when: each body is hashed and re-encoded independently
        for body in (rule, words):
            assert sha256(body["canonical"].encode()) == body["hash"], vector["type"]
            assert rfc8785.dumps(json.loads(body["canonical"])).decode() == body["canonical"]
        # then: the rule data and the words are the content, the rule body naming the words by hash
        data = json.loads(rule["canonical"])
        commitment = data.pop("words")
        said = json.loads(words["canonical"])
        assert commitment == {"hash": words["hash"], "fields": sorted(said)}, vector["type"]
        assert {**data, **said} == vector["content"] and rule["vis"] == "public"


def test_federation_bodies_are_the_ones_each_act_kind_parses_and_writes(vectors: dict[str, Any]) -> None:
    from ayllu.core.assembly.acts import ACT_KINDS

    for vector in vectors["federation_bodies"]:
        # given
        kind = ACT_KINDS[vector["type"]]
        # when: the act's class reads the content (its citations checked by proof, steps 1 to 4 of 14.2)
        act = kind.parse(vector["content"])
        # then it writes the same body, under the name the API and the CLI give it
        assert act.content() == vector["content"] and kind.name == vector["name"]
        for cited in vector["content"].get("cites", []):
            assert check_citation(parse_citation_bytes(rfc8785.dumps(cited)), held=None).checked == "proof"
