"""The record's tools in Spanish and English: the export download (what each reader may see) and checking
one decision's inclusion proof (the page, the proof file, and `ayllu check-proof`)."""

import io
import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.test import Client

from ayllu.actions.record import do_append, forget_replayed_state
from ayllu.cli.exportfile import read_export, write_export
from ayllu.cli.main import main as ayllu
from ayllu.cli.proofs import check_proof
from ayllu.core.errors import DomainError
from ayllu.core.ledger.record import sign_act
from ayllu.queries.record import get_bodies, iter_export_entries, list_checkpoint_bytes
from factories.keys import keypair
from factories.records import act_body
from factories.scenes import consent_decided_with_answered_objection, meeting_with_everyone
from factories.stored import StoredAssembly, found_with_officers, log_in_as

PATHS = {
    "es": "/es/asamblea/{log}/registro/",
    "en": "/en/assembly/{log}/record/",
}
TOOLS = {
    "es": {"export": "exportar/", "decisions": "decisiones/"},
    "en": {"export": "export/", "decisions": "decisions/"},
}


@dataclass(frozen=True)
class Decided:
    assembly: StoredAssembly
    question: int
    applied_body: str


@pytest.fixture
def decided(db: None) -> Decided:
    """An assembly with one consent decision and an applicant whose household is for members only."""
    forget_replayed_state()
    assembly = found_with_officers("Junta Vecinal Villa Esperanza")
    ids = consent_decided_with_answered_objection(assembly, meeting_with_everyone(assembly))
    body = act_body("member.applied", {"household": "manzano-5-lote-7"}, vis="members")
    newcomer = keypair(90)
    signed = sign_act(newcomer, log=assembly.log, type="member.applied", body=body, nonce="apply-90")
    do_append(assembly.log, signed_act=signed, body=body)
    # Words for members only (a household id is rule data in act format 2, public: decision 0007).
    notice = act_body("notice.posted", {"text": SECRET}, vis="members")
    signed = sign_act(assembly.members[0], log=assembly.log, type="notice.posted", body=notice, nonce="mo-1")
    do_append(assembly.log, signed_act=signed, body=notice)
    return Decided(assembly, ids["question"], body.raw.decode())


SECRET = "la llave de la sede está con doña Rosa"


def url(lang: str, log: str, tool: str = "") -> str:
    return PATHS[lang].format(log=log) + (TOOLS[lang][tool] if tool else "")


def export_of(client: Client, lang: str, log: str) -> str:
    response = client.get(url(lang, log, "export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/jsonl")
    assert response["Content-Disposition"].startswith("attachment;")
    return b"".join(response.streaming_content).decode("utf-8")


@pytest.mark.parametrize("lang", ["es", "en"])
def test_an_outsider_downloads_the_record_without_members_bodies(decided: Decided, lang: str) -> None:
    # given
    log = decided.assembly.log
    # when
    text = export_of(Client(), lang, log)
    # then
    exported = read_export(io.StringIO(text))
    assert exported.visible == frozenset({"public"})
    assert SECRET not in text
    assert len(exported.entries) == len(list(iter_export_entries(log)))


@pytest.mark.parametrize("lang", ["es", "en"])
def test_a_member_gets_members_bodies_too_as_ayllu_export_writes_them(decided: Decided, lang: str) -> None:
    # given
    log = decided.assembly.log
    client = Client()
    log_in_as(client, log, decided.assembly.members[0])
    # when
    text = export_of(client, lang, log)
    # then: byte for byte what `ayllu export` writes
    expected = io.StringIO()
    write_export(
        expected,
        log=log,
        name=decided.assembly.name,
        visible=frozenset({"public", "members"}),
        entries=iter_export_entries(log),
        bodies=get_bodies(log),
        checkpoints=list_checkpoint_bytes(log),
    )
    assert text == expected.getvalue()
    assert SECRET in text
    assert read_export(io.StringIO(text)).visible == frozenset({"public", "members"})


def test_a_member_of_another_assembly_gets_only_public_bodies(decided: Decided) -> None:
    # given
    other = found_with_officers("Sindicato del Mercado", seed=40)
    client = Client()
    log_in_as(client, other.log, other.members[0])
    # when
    text = export_of(client, "en", decided.assembly.log)
    # then
    assert SECRET not in text


@pytest.mark.parametrize("lang", ["es", "en"])
def test_the_decisions_page_lists_the_decision_with_its_outcome(decided: Decided, lang: str) -> None:
    # when
    response = Client().get(url(lang, decided.assembly.log, "decisions"))
    # then
    assert response.status_code == 200
    page = response.content.decode()
    assert "Arreglar la cancha" in page
    assert {"es": "Aprobada", "en": "Adopted"}[lang] in page
    assert f"{TOOLS[lang]['decisions']}{decided.question}/" in page


@pytest.mark.parametrize("lang", ["es", "en"])
def test_the_decision_page_embeds_a_proof_that_holds_against_a_signed_checkpoint(
    decided: Decided, lang: str
) -> None:
    # given
    page_url = url(lang, decided.assembly.log, "decisions") + f"{decided.question}/"
    # when
    response = Client().get(page_url)
    # then
    assert response.status_code == 200
    proof = response.context["proof_file_json"]
    assert "ok: entry" in check_proof(proof)
    assert json.loads(proof["entry"])["type"] == "question.closed"
    page = response.content.decode()
    assert 'id="ayllu-proof"' in page and "web/js/proof.js" in page
    assert f"ayllu check-proof decision-{decided.question}.json" in page
    assert proof["entry_hash"] in page  # the no-JS fallback shows the data


def test_the_proof_file_checks_offline_and_a_changed_one_fails(decided: Decided, tmp_path: Path) -> None:
    # given
    response = Client().get(url("en", decided.assembly.log, "decisions") + f"{decided.question}/proof.json")
    assert response.status_code == 200
    good = tmp_path / "decision.json"
    good.write_bytes(response.content)
    data = json.loads(response.content)
    data["proof"][0] = "0" * 64
    bad = tmp_path / "changed.json"
    bad.write_text(json.dumps(data))
    # when / then
    assert ayllu(["check-proof", str(good)]) == 0
    assert ayllu(["check-proof", str(bad)]) == 1


def test_a_proof_of_another_entry_at_the_decisions_place_fails(decided: Decided) -> None:
    # given: the proof is honest, but the entry text is swapped for the founding entry
    page = url("en", decided.assembly.log, "decisions") + f"{decided.question}/"
    proof = Client().get(page).context["proof_file_json"]
    founding = next(iter_export_entries(decided.assembly.log))[0].decode()
    # when / then
    with pytest.raises(DomainError):
        check_proof({**proof, "entry": founding})


@pytest.mark.parametrize("lang", ["es", "en"])
def test_a_question_without_outcome_or_an_unknown_record_is_not_found(decided: Decided, lang: str) -> None:
    # when
    unknown_question = Client().get(url(lang, decided.assembly.log, "decisions") + "9999/")
    unknown_record = Client().get(url(lang, "f" * 64, "decisions"))
    unknown_export = Client().get(url(lang, "f" * 64, "export"))
    # then
    assert unknown_question.status_code == 404
    assert unknown_record.status_code == 404
    assert unknown_export.status_code == 404


@pytest.mark.parametrize("lang", ["es", "en"])
def test_the_record_page_links_to_the_export_and_the_decisions(decided: Decided, lang: str) -> None:
    # when
    page = Client().get(url(lang, decided.assembly.log)).content.decode()
    # then
    assert url(lang, decided.assembly.log, "export") in page
    assert url(lang, decided.assembly.log, "decisions") in page
