"""Citations in the browser: a record's entry offers its citation to copy, and an assembly's "cite an
entry" page checks a pasted citation before the member signs, saying what is cited and how far it was
checked; a malformed, forged or forked citation gets a translated reason and nothing is written.
"""

import html
import json
import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from ayllu.actions.record import do_import_record, do_refresh_checkpoint
from ayllu.core.ledger.checkpoints import sign_checkpoint
from ayllu.core.ledger.citations import Citation, build_citation
from ayllu.core.ledger.merkle import inclusion_proof, root_of
from ayllu.queries.citations import get_citation
from ayllu.storage import models
from factories.keys import keypair
from factories.records import MemoryRecord, sample_record
from factories.stored import StoredAssembly, log_in_as

from .test_form_walk import act_forms, refused


def _url(name: str, lang: str = "en", **kwargs: object) -> str:
    with translation.override(lang):
        return reverse(f"web:{name}", kwargs=kwargs)


def citation_of(record: MemoryRecord, seq: int) -> Citation:
    """A citation of entry `seq` of an in-memory record, against a checkpoint of all of it by node-1."""
    hashes = record.hashes()
    checkpoint = sign_checkpoint(
        keypair("node-1"), log=record.log, size=len(hashes), root=root_of(hashes), time=3
    )
    return build_citation(
        record.entries[seq - 1], checkpoint=checkpoint, proof=inclusion_proof(hashes, index=seq - 1)
    )


def _cited(log: str, seq: int) -> Citation:
    """The citation of entry `seq` this node gives, a checkpoint of the head signed first (`ayllu cite`)."""
    do_refresh_checkpoint(log)
    return get_citation(log, seq=seq)


def _size(log: str) -> int:
    return models.Entry.objects.filter(record__log=log).count()


def _check(client: Client, log: str, text: str, *, note: str = "", lang: str = "en") -> tuple[int, str]:
    response = client.post(_url("cite", lang, log=log), {"citation": text, "note": note})
    return response.status_code, response.content.decode()


@pytest.fixture
def two(make_assembly: Callable[..., StoredAssembly]) -> tuple[StoredAssembly, StoredAssembly]:
    """A federation's record of five entries and a council's, both held by this node."""
    return make_assembly("Federación del distrito 3", notices=4), make_assembly("Junta Alto Lima", notices=1)


def test_a_record_page_offers_each_entry_s_citation_to_copy(
    client: Client, two: tuple[StoredAssembly, StoredAssembly]
) -> None:
    # given
    federation, council = two
    # when the record page is read, and then the citation page of entry 3 by a council's member
    page = client.get(_url("record", log=federation.log)).content.decode()
    link = _url("record_entry_citation", log=federation.log, seq=3)
    log_in_as(client, council.log, council.members[0])
    answer = client.get(link)
    # then each entry links to its citation, and that page gives the citation `ayllu cite` writes
    assert f'href="{link}"' in page and "Cite this entry" in page
    # and the record page of an assembly leads to its own "cite an entry" page
    assert f'href="{_url("cite", log=federation.log)}"' in page
    assert answer.status_code == 200
    shown = re.search(r"data-ayllu-share-url[^>]*>(.*?)</code>", answer.content.decode(), re.S)
    assert shown is not None
    assert json.loads(html.unescape(shown[1])) == get_citation(federation.log, seq=3).as_json()
    assert "Copy the citation" in answer.content.decode()
    # and it offers to cite it in the assembly the reader is logged in to
    assert f'href="{_url("cite", log=council.log)}"' in answer.content.decode()


def test_the_citation_page_of_an_entry_not_in_the_record_is_not_found(
    client: Client, two: tuple[StoredAssembly, StoredAssembly]
) -> None:
    # when
    answer = client.get(_url("record_entry_citation", log=two[0].log, seq=99))
    # then
    assert answer.status_code == 404


@pytest.mark.parametrize(
    ("lang", "checked", "act"),
    [
        ("en", "Through the cited assembly's rules", "Posted a notice"),
        ("es", "Según las reglas de la asamblea citada", "Publicó un aviso"),
    ],
)
def test_a_pasted_citation_shows_what_is_cited_and_how_far_before_signing(
    client: Client, two: tuple[StoredAssembly, StoredAssembly], lang: str, checked: str, act: str
) -> None:
    # given a member of the council, and the citation of entry 3 of the federation (held here)
    federation, council = two
    member = council.members[1]
    log_in_as(client, council.log, member)
    text = _cited(federation.log, 3).raw().decode()
    before = _size(council.log)
    # when they paste it with a note
    status, page = _check(client, council.log, text + "\n", note="Lo que decidió la federación", lang=lang)
    # then the page says what is cited and how far this node checked it, in the page's language
    assert status == 200, page
    assert 'data-checked="rules"' in page and checked in page and act in page
    assert "Federación del distrito 3" in page
    # and it offers the act form, whose act the core accepts from this member (nothing written yet)
    (form,) = act_forms(page)
    assert form["type"] == "record.cited"
    assert refused(council.log, member.public, form) == ""
    assert _size(council.log) == before


def test_a_citation_of_a_record_not_held_is_said_checked_by_proof_only(
    client: Client, two: tuple[StoredAssembly, StoredAssembly]
) -> None:
    # given a citation of a record this node never saw
    council = two[1]
    log_in_as(client, council.log, council.members[0])
    text = citation_of(sample_record(4, name="Otra junta"), 2).raw().decode()
    # when
    status, page = _check(client, council.log, text, lang="es")
    # then
    assert status == 200
    assert 'data-checked="proof"' in page and "Solo por la prueba" in page
    assert "no se conoce aquí como el que lleva ese registro" in page


@pytest.mark.parametrize(
    ("text", "status", "sentence"),
    [
        ("hola", 400, "Eso no es una cita"),
        ("x" * 20_000, 400, "Ese texto es demasiado largo para ser una cita."),
        ("", 400, "Eso no es una cita"),
        ('{ "v": 1 }', 400, "La cita se cambió después de hecha"),
        ('{"v":1}', 400, "La cita no está escrita como indica el formato del registro."),
    ],
)
def test_a_malformed_citation_gets_a_translated_reason_and_nothing_is_written(
    client: Client, two: tuple[StoredAssembly, StoredAssembly], text: str, status: int, sentence: str
) -> None:
    # given
    council = two[1]
    log_in_as(client, council.log, council.members[0])
    before = _size(council.log)
    # when
    answer, page = _check(client, council.log, text, lang="es")
    # then
    assert answer == status
    assert "data-ayllu-citation-problem" in page and sentence in page and "No se registró nada." in page
    assert act_forms(page) == []
    assert _size(council.log) == before and models.Evidence.objects.count() == 0


def test_a_forged_proof_is_refused_in_words(
    client: Client, two: tuple[StoredAssembly, StoredAssembly]
) -> None:
    # given a citation whose proof was tampered with
    federation, council = two
    log_in_as(client, council.log, council.members[0])
    cited = _cited(federation.log, 3).as_json()
    cited["proof"][0] = "00" * 32
    text = json.dumps(cited, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
    # when
    status, page = _check(client, council.log, text)
    # then
    assert status == 409
    assert "The proof does not show that the cited entry is in the cited record." in page
    assert act_forms(page) == []


def test_a_forked_citation_is_refused_and_its_evidence_kept(
    client: Client, two: tuple[StoredAssembly, StoredAssembly]
) -> None:
    # given this node holds a record whose node sealed another entry 4 on a branch
    council = two[1]
    record = sample_record(5, name="Federación")
    report = do_import_record(
        record.log, entries=record.raws(), bodies=dict(record.bodies), checkpoints=[],
        visible=frozenset(("public", "members")), workers=1,
    )  # fmt: skip
    assert report.ok
    branch = record.branch(3)
    branch.notice("otra cosa")
    log_in_as(client, council.log, council.members[0])
    # when a member pastes a citation of the branch's entry 4
    status, page = _check(client, council.log, citation_of(branch, 4).raw().decode())
    # then it is refused, the evidence kept and said so, and nothing is offered to sign
    assert status == 409 and "data-ayllu-citation-problem" in page
    assert "This node kept the evidence of it" in page
    assert models.Evidence.objects.filter(log=record.log, kind="fork").count() == 1
    assert act_forms(page) == []


def test_a_citation_of_the_assembly_s_own_record_is_checked_but_not_offered(
    client: Client, two: tuple[StoredAssembly, StoredAssembly]
) -> None:
    # given a member pasting a citation of their own assembly's record
    federation = two[0]
    log_in_as(client, federation.log, federation.members[0])
    text = _cited(federation.log, 2).raw().decode()
    # when
    status, page = _check(client, federation.log, text)
    # then the page says why it cannot be cited here, and offers no act form
    assert status == 200 and "data-ayllu-citation-refused" in page
    assert act_forms(page) == []


def test_an_outsider_sees_the_check_but_no_act_form(
    client: Client, two: tuple[StoredAssembly, StoredAssembly]
) -> None:
    # given someone not logged in
    federation, council = two
    text = _cited(federation.log, 3).raw().decode()
    # when
    status, page = _check(client, council.log, text)
    # then
    assert status == 200 and 'data-checked="rules"' in page
    assert act_forms(page) == [] and "log in to sign it" in page


def test_a_mirror_without_a_checkpoint_says_why_it_cannot_give_a_citation(client: Client, db: None) -> None:
    # given a record this node mirrors (sealed by another node) and keeps no checkpoint of
    record = sample_record(4, name="Federación")
    report = do_import_record(
        record.log, entries=record.raws(), bodies=dict(record.bodies), checkpoints=[],
        visible=frozenset(("public", "members")), workers=1,
    )  # fmt: skip
    assert report.ok
    # when
    answer = client.get(_url("record_entry_citation", "es", log=record.log, seq=2))
    # then
    assert answer.status_code == 404
    assert (
        "no guarda un punto de control firmado del registro que abarque esa entrada"
        in answer.content.decode()
    )
