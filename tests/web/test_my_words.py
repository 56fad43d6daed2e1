"""Erasing one's own words: the page that lists them, the browser's act, the API's route, and what an
erasure leaves: a record that verifies, reads and appends, before and after a restart."""

from django.test import Client

from ayllu.actions.catalogue import ACT_KINDS, sign_kind
from ayllu.actions.record import do_append, do_verify_record, forget_replayed_state
from ayllu.queries.assembly import forget_assembly_states
from ayllu.storage import models
from factories.api import ApiAssembly
from factories.stored import StoredAssembly, log_in_as


def _erasure(assembly: StoredAssembly, who: int, entry: int) -> dict[str, object]:
    """What the browser posts for the erase button: the act, its rule body, its words and signature."""
    signed, body = sign_kind(
        assembly.members[who],
        assembly.log,
        kind=ACT_KINDS["erase-words"],
        values={"entry": entry},
        nonce=f"e{entry}",
    )
    assert body.words is not None
    return {
        "act": signed.act.as_json(),
        "body": body.raw.decode(),
        "words": body.words.raw.decode(),
        "asig": signed.asig,
    }


def test_a_member_sees_their_words_erases_them_and_the_record_still_verifies_reads_and_appends(
    client: Client, assembly: StoredAssembly
) -> None:
    # given: the first member wrote the notice at entry 2 ("aviso 0")
    log_in_as(client, assembly.log, assembly.members[0])
    page = client.get(f"/en/assembly/{assembly.log}/my-words/").content.decode()
    assert "aviso 0" in page and 'value="2"' in page and "Erase these words" in page
    # when they press the button (the browser signs and posts the act)
    response = client.post(
        f"/en/assembly/{assembly.log}/acts/", _erasure(assembly, 0, 2), content_type="application/json"
    )
    # then the words are gone from this node, the page says so, and the record verifies
    assert response.status_code == 200, response.content
    page = client.get(f"/en/assembly/{assembly.log}/my-words/").content.decode()
    assert "aviso 0" not in page and "Erased" in page
    assert models.Body.objects.filter(record__log=assembly.log, erased=True).count() == 1
    # and after a restart (no cached state) it verifies, reads and appends
    forget_replayed_state()
    forget_assembly_states()
    assert do_verify_record(assembly.log, workers=1).ok
    assert client.get(f"/en/assembly/{assembly.log}/").status_code == 200
    signed, body = assembly.notice("después del borrado")
    assert do_append(assembly.log, signed_act=signed, body=body).seq == 6


def test_a_member_may_not_erase_another_members_words(client: Client, assembly: StoredAssembly) -> None:
    # given: the second member is logged in; entry 2 is the first member's notice
    log_in_as(client, assembly.log, assembly.members[1])
    # when
    response = client.post(
        f"/es/asamblea/{assembly.log}/actos/", _erasure(assembly, 1, 2), content_type="application/json"
    )
    # then: refused with a translated sentence, nothing written or erased
    assert response.status_code == 403, response.content
    assert response.json()["code"] == "not_your_words"
    assert "Solo" in response.json()["message"]
    assert models.Record.objects.get(log=assembly.log).head_seq == 4
    assert not models.Body.objects.filter(record__log=assembly.log, erased=True).exists()


def test_the_api_erases_words_by_the_entry_s_place(client: Client, db: None) -> None:
    # given
    api = ApiAssembly.found(client, ["ana", "bea"])
    notice = api.ok("ana", "notice", text="mi teléfono es 555")
    # when
    refused = api.act("bea", "erase-words", entry=notice)
    erased = api.act("ana", "erase-words", entry=notice)
    # then
    assert refused.status_code == 403 and refused.json()["code"] == "not_your_words"
    assert erased.status_code == 201, erased.content
    assert models.Body.objects.filter(record__log=api.log, erased=True).count() == 1
