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


def test_a_member_proposes_from_the_record_page_that_the_assembly_erase_another_member_s_words(
    client: Client, assembly: StoredAssembly
) -> None:
    # given: the second member is logged in; entry 2 is the first member's notice, entry 1 the founding
    log_in_as(client, assembly.log, assembly.members[1])
    record_page = client.get(f"/es/asamblea/{assembly.log}/registro/").content.decode()
    # when they follow the record page's link for entry 2, and post the form's act (as the browser does)
    link = f"/es/asamblea/{assembly.log}/propuestas/nueva/borrado/?entrada=2"
    form = client.get(link).content.decode()
    signed, body = sign_kind(
        assembly.members[1],
        assembly.log,
        kind=ACT_KINDS["table"],
        values={"matter": "erasure", "title": "Borrar el aviso", "text": "", "effect": {"entry": 2}},
        nonce="borrar-2",
    )
    assert body.words is not None
    posted = client.post(
        f"/es/asamblea/{assembly.log}/actos/",
        {
            "act": signed.act.as_json(),
            "body": body.raw.decode(),
            "words": body.words.raw.decode(),
            "asig": signed.asig,
        },
        content_type="application/json",
    )
    # then the record page offered it (not for the founding), the form names the entry, the proposal is in
    assert f'href="{link}"' in record_page and "Proponer que se borren sus palabras" in record_page
    assert "propuestas/nueva/borrado/?entrada=1" not in record_page
    assert 'name="effect.entry"' in form and 'value="2"' in form and "Presentar la propuesta" in form
    assert posted.status_code == 200, posted.content
    assert models.Entry.objects.filter(record__log=assembly.log, type="proposal.tabled").count() == 1


def test_the_erasure_form_says_when_an_entry_has_no_words_to_erase(
    client: Client, assembly: StoredAssembly
) -> None:
    # given
    log_in_as(client, assembly.log, assembly.members[1])
    # when the form is asked for the founding (its body is the rules' own data)
    page = client.get(f"/en/assembly/{assembly.log}/proposals/new/erasure/?entry=1").content.decode()
    chooser = client.get(f"/en/assembly/{assembly.log}/proposals/new/erasure/").content.decode()
    # then it says so and offers no form; without an entry, it asks which one first
    assert "Entry 1 has no words that can be erased" in page
    assert 'name="effect.entry"' not in page
    assert 'name="entry"' in chooser and "data-ayllu-choose-entry" in chooser
    assert 'name="effect.entry"' not in chooser
