"""Citations through the API: `cite-record` is an act of the catalogue with its own route, and
POST /api/citations/check says how far a citation was checked here, or refuses it with its code, its
translated sentence and the id of the evidence kept (docs/record-format.md 14, docs/api.md).
"""

import json

import pytest
from django.test import Client

from ayllu.actions.record import do_import_record, do_refresh_checkpoint
from ayllu.core.ledger.checkpoints import sign_checkpoint
from ayllu.core.ledger.citations import Citation, build_citation
from ayllu.core.ledger.merkle import inclusion_proof, root_of
from ayllu.queries.citations import get_citation
from ayllu.storage import models
from factories.api import ApiAssembly
from factories.keys import keypair
from factories.records import MemoryRecord, sample_record

CHECK = "/api/citations/check"


def citation_of(record: MemoryRecord, seq: int) -> Citation:
    """A citation of entry `seq` of an in-memory record, against a checkpoint of all of it by node-1."""
    hashes = record.hashes()
    node = keypair("node-1")
    checkpoint = sign_checkpoint(node, log=record.log, size=len(hashes), root=root_of(hashes), time=3)
    return build_citation(
        record.entries[seq - 1], checkpoint=checkpoint, proof=inclusion_proof(hashes, index=seq - 1)
    )


def _held(record: MemoryRecord) -> None:
    report = do_import_record(
        record.log, entries=record.raws(), bodies=dict(record.bodies), checkpoints=[],
        visible=frozenset(("public", "members")), workers=1,
    )  # fmt: skip
    assert report.ok


def _post(api: Client, payload: object, lang: str = "es") -> tuple[int, dict[str, object]]:
    answer = api.post(CHECK, payload, content_type="application/json", headers={"accept-language": lang})
    return answer.status_code, answer.json()


def test_a_member_cites_another_record_s_entry_through_the_act_route(
    api: Client, assembly: ApiAssembly
) -> None:
    # given another assembly founded on this node, with a notice, and the citation of it the API gives
    other = ApiAssembly.found(api, ["bea", "carla"], name="Federación")
    notice = other.ok("bea", "notice", text="Resolución sobre el agua")
    do_refresh_checkpoint(other.log)
    cited = api.get(f"/api/assemblies/{other.log}/entries/{notice}/citation").json()
    # when a member of the first assembly cites it, with a note
    seq = assembly.ok("ana", "cite-record", cites=[cited], note="La federación lo decidió")
    # then it is in the record, as a record.cited entry
    assert assembly.types()[seq - 1] == "record.cited"


def test_the_act_route_refuses_a_forged_citation_and_writes_nothing(
    api: Client, assembly: ApiAssembly
) -> None:
    # given a citation whose proof was tampered with
    cited = citation_of(sample_record(4), 2).as_json()
    cited["proof"][0] = "00" * 32
    size = assembly.size()
    # when
    answer = assembly.act("ana", "cite-record", cites=[cited])
    # then
    assert answer.status_code == 409 and answer.json()["code"] == "citation_bad_proof"
    assert assembly.size() == size


def test_check_says_how_far_a_citation_was_checked(api: Client, assembly: ApiAssembly) -> None:
    # given a record this node holds (replayed) and one it does not
    do_refresh_checkpoint(assembly.log)
    held = get_citation(assembly.log, seq=1)
    elsewhere = citation_of(sample_record(3, name="Otra junta"), 3)
    # when one is sent as its object, the other as the text `ayllu cite` writes
    status_held, answer_held = _post(api, {"citation": held.as_json()})
    status_else, answer_else = _post(api, {"citation": elsewhere.raw().decode() + "\n"})
    # then
    assert (status_held, answer_held["checked"], answer_held["sealer_confirmed"]) == (200, "rules", True)
    assert (answer_held["log"], answer_held["seq"], answer_held["type"]) == (
        assembly.log,
        1,
        "assembly.founded",
    )
    assert (status_else, answer_else["checked"], answer_else["sealer_confirmed"]) == (200, "proof", False)
    assert answer_else["ahead"] is True


@pytest.mark.parametrize(
    ("payload", "status", "code", "lang", "sentence"),
    [
        ({"citation": "hola"}, 400, "malformed_citation", "es", "Eso no es una cita"),
        ({"citation": '{ "v": 1 }'}, 400, "malformed_citation", "en", "The citation was changed after"),
        ({"citation": {"v": 1}}, 400, "malformed_citation", "es", "La cita no está escrita"),
        ({"citation": [1, 2]}, 422, "invalid_request", "en", ""),
        ({}, 422, "invalid_request", "en", ""),
    ],
)
def test_check_refuses_a_malformed_citation_in_words(
    api: Client, payload: object, status: int, code: str, lang: str, sentence: str
) -> None:
    # when
    answer_status, answer = _post(api, payload, lang)
    # then
    assert (answer_status, answer["code"]) == (status, code)
    assert answer["message"] and sentence in str(answer["message"])
    assert models.Evidence.objects.count() == 0


def test_check_refuses_a_forked_citation_with_the_id_of_the_evidence_kept(api: Client) -> None:
    # given this node holds a record whose node sealed another entry 4 on a branch
    record = sample_record(5, name="Federación")
    _held(record)
    branch = record.branch(3)
    branch.notice("otra cosa")
    # when
    status, answer = _post(api, {"citation": json.loads(citation_of(branch, 4).raw())}, "en")
    # then
    assert (status, answer["code"]) == (409, "citation_fork")
    assert "different entry at that place" in str(answer["message"])
    detail = answer["detail"]
    assert isinstance(detail, dict) and detail["reason"] == "entry_differs"
    kept = models.Evidence.objects.get(log=record.log, kind="fork")
    assert detail["evidence_id"] == kept.hash
