"""A node serves only what verifies: rows altered behind its back are named on every page and in every
API answer, the record page shows the live state, and writes stop (storage/served.py)."""

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ayllu.actions.record import do_sign_checkpoint, forget_replayed_state
from ayllu.core.ledger.merkle import Frontier
from ayllu.core.ledger.record import make_body, parse_entry, seal_entry, sign_act
from ayllu.queries.assembly import forget_assembly_states
from ayllu.storage import models, served
from ayllu.storage.served import sweep_pass
from factories.keys import keypair
from factories.scenes import meeting_with_everyone
from factories.stored import StoredAssembly, act, found_with_officers, log_in_as

PROPOSAL_TEXT = "Diez Bs. para el tanque de agua."
ALTERED_TEXT = "Cien Bs. para el tesorero."


@dataclass(frozen=True)
class Scene:
    assembly: StoredAssembly
    proposal: int
    question: int
    vote: int


@pytest.fixture
def scene(db: None) -> Scene:
    """A proposal with an open question, one vote cast, and two notices after it."""
    forget_replayed_state()
    assembly = found_with_officers("Junta Vecinal Villa Esperanza")
    a, b, _, d = assembly.members
    meeting = meeting_with_everyone(assembly)
    content = {
        "matter": "ordinary",
        "title": "Tanque",
        "text": PROPOSAL_TEXT,
        "effect": {},
        "meeting": meeting,
    }
    proposal = act(assembly, d, "proposal.tabled", content)
    question = act(assembly, a, "question.opened", {"proposal": proposal})
    vote = act(assembly, b, "vote.cast", {"question": question, "choice": "consent"})
    act(assembly, a, "notice.posted", {"text": "aviso uno"})
    act(assembly, b, "notice.posted", {"text": "aviso dos"})
    return Scene(assembly, proposal, question, vote)


def restart() -> None:
    """What a node's restart forgets: every state and check kept in memory, and the pages' cache."""
    forget_replayed_state()
    forget_assembly_states()
    cache.clear()


def _entry(log: str, seq: int) -> models.Entry:
    return models.Entry.objects.get(record__log=log, seq=seq)


def _cut_to(log: str, size: int) -> None:
    """Delete every entry after `size` and point the record at the one before, as a careful editor would."""
    models.Entry.objects.filter(record__log=log, seq__gt=size).delete()
    frontier = Frontier()
    for header in (
        models.Entry.objects.filter(record__log=log).order_by("seq").values_list("header", flat=True)
    ):
        frontier = frontier.append(parse_entry(bytes(header)).hash)
    head = parse_entry(bytes(_entry(log, size).header)).hash
    models.Record.objects.filter(log=log).update(head_seq=size, head_hash=head, frontier=frontier.as_json())


def alter_proposal_text(scene: Scene) -> int:
    entry = parse_entry(bytes(_entry(scene.assembly.log, scene.proposal).header))
    body = models.Body.objects.get(record__log=scene.assembly.log, hash=entry.act.body)
    content = json.loads(bytes(body.raw))
    content["text"] = ALTERED_TEXT
    body.raw = make_body(content, vis="public").raw
    body.save()
    return scene.proposal


def delete_an_entry_row(scene: Scene) -> int:
    _entry(scene.assembly.log, scene.vote).delete()
    return scene.vote


def forge_a_ballot(scene: Scene) -> int:
    """A vote appended by someone holding a member's key but not the node's: sealed by another key."""
    log = scene.assembly.log
    record = models.Record.objects.get(log=log)
    body = make_body({"question": scene.question, "choice": "object"}, vis="public")
    signed = sign_act(scene.assembly.members[2], log=log, type="vote.cast", body=body, nonce="forged")
    last = parse_entry(bytes(_entry(log, record.head_seq).header))
    entry = seal_entry(
        signed, seq=record.head_seq + 1, prev=record.head_hash, time=last.time, node=keypair(99)
    )
    models.Entry.objects.create(
        record=record, seq=entry.seq, hash=entry.hash, header=entry.raw, act_id=signed.act.id(),
        type=entry.type, author=entry.author,
    )  # fmt: skip
    models.Body.objects.get_or_create(record=record, hash=body.hash, vis="public", defaults={"raw": body.raw})
    frontier = Frontier.from_json(record.frontier).append(entry.hash)
    models.Record.objects.filter(pk=record.pk).update(
        head_seq=entry.seq, head_hash=entry.hash, frontier=frontier.as_json()
    )
    return entry.seq


def alter_a_ballot_header(scene: Scene) -> int:
    """The vote's header says another choice's body: the author's signature no longer holds."""
    row = _entry(scene.assembly.log, scene.vote)
    entry = parse_entry(bytes(row.header))
    other = make_body({"question": scene.question, "choice": "object"}, vis="public")
    models.Body.objects.create(record=row.record, hash=other.hash, vis="public", raw=other.raw)
    row.header = bytes(row.header).replace(entry.act.body.encode(), other.hash.encode())
    row.save()
    return scene.vote


def truncate(scene: Scene) -> int:
    size = models.Record.objects.get(log=scene.assembly.log).head_seq
    _cut_to(scene.assembly.log, size - 2)
    return size - 1


def alter_a_signature(scene: Scene) -> int:
    row = _entry(scene.assembly.log, scene.proposal)
    asig = parse_entry(bytes(row.header)).asig
    flipped = ("0" if asig[0] != "0" else "1") + asig[1:]
    row.header = bytes(row.header).replace(asig.encode(), flipped.encode())
    row.save()
    return scene.proposal


TAMPERING: dict[str, Callable[[Scene], int]] = {
    "altered proposal text": alter_proposal_text,
    "deleted entry row": delete_an_entry_row,
    "forged ballot": forge_a_ballot,
    "altered ballot header": alter_a_ballot_header,
    "truncated record": truncate,
    "altered signature": alter_a_signature,
}


def _notice_payload(scene: Scene, text: str) -> dict[str, Any]:
    body = make_body({"text": text}, vis="public")
    signed = sign_act(
        scene.assembly.members[0], log=scene.assembly.log, type="notice.posted", body=body, nonce=text
    )
    return {"act": signed.act.as_json(), "body": body.raw.decode(), "asig": signed.asig}


def _assert_says_damaged(client: Client, scene: Scene, bad: int, language: str) -> None:
    log = scene.assembly.log
    for address in (f"/{language}/", f"/api/assemblies/{log}", f"/api/assemblies/{log}/proposals"):
        response = client.get(address, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200, address
        assert response["Ayllu-Served"].startswith(f"damaged; log={log}; seq={bad}; code="), address
    home = client.get(f"/{language}/").content.decode()
    assert 'class="badge badge--bad"' in home and 'class="badge badge--ok"' not in home
    if language == "es":
        assert "La copia que este nodo tiene del registro de «Junta Vecinal Villa Esperanza» no pasa" in home
        assert f"La primera entrada dañada es la número {bad}." in home
        assert "no se puede escribir nada" in home
    else:
        assert "This node's copy of the record of “Junta Vecinal Villa Esperanza” does not verify." in home
        assert f"The first bad entry is number {bad}." in home


@pytest.mark.parametrize("tamper", TAMPERING.values(), ids=TAMPERING.keys())
def test_tampering_is_named_on_every_page_and_answer_and_writes_stop(
    scene: Scene, tamper: Callable[[Scene], int]
) -> None:
    # given rows changed in the database behind the node's back, then a restart
    log = scene.assembly.log
    bad = tamper(scene)
    restart()
    size = models.Record.objects.get(log=log).head_seq
    client = Client()
    # then pages and API answers name the first bad entry, in both languages
    _assert_says_damaged(client, scene, bad, "es")
    _assert_says_damaged(client, scene, bad, "en")
    # and the record page shows the live state
    page = client.get(f"/en/assembly/{log}/record/").content.decode()
    assert "This node's copy does not verify" in page
    # and writes stop, with a stable code and a translated sentence, through the API and the pages
    api = client.post(
        f"/api/assemblies/{log}/acts", _notice_payload(scene, "api"), content_type="application/json"
    )
    assert (api.status_code, api.json()["code"]) == (503, "record_damaged")
    assert "restore a good copy" in client.post(
        f"/api/assemblies/{log}/acts", _notice_payload(scene, "en"), content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    ).json()["message"]  # fmt: skip
    member = Client()
    log_in_as(member, log, scene.assembly.members[0])
    web = member.post(
        f"/es/asamblea/{log}/actos/", _notice_payload(scene, "web"), content_type="application/json"
    )
    assert (web.status_code, web.json()["code"]) == (503, "record_damaged")
    assert "restaurar antes una copia buena" in web.json()["message"]
    assert models.Record.objects.get(log=log).head_seq == size
    assert models.ServedSeal.objects.get(record__log=log).problem_seq == bad


def test_an_altered_text_is_not_shown_as_the_signed_one(scene: Scene) -> None:
    # given the proposal's words altered in the database, then a restart
    alter_proposal_text(scene)
    restart()
    # when
    response = Client().get(f"/en/assembly/{scene.assembly.log}/proposals/{scene.proposal}/")
    html = response.content.decode()
    # then the page warns, and shows only the entries before the altered one
    assert "does not verify" in html
    assert ALTERED_TEXT not in html


def test_a_record_cut_short_while_the_node_runs_is_seen_without_a_restart(
    scene: Scene, settings: Any
) -> None:
    # given a node that checked its record, then lost its last two entries
    settings.AYLLU_SERVED_SECONDS = 0
    client = Client()
    assert client.get("/en/")["Ayllu-Served"] == "ok"
    bad = truncate(scene)
    # when
    response = client.get(f"/en/assembly/{scene.assembly.log}/record/")
    # then
    assert response["Ayllu-Served"].startswith(
        f"damaged; log={scene.assembly.log}; seq={bad}; code=record_shorter"
    )
    html = response.content.decode()
    assert (
        f"The record now ends at entry {bad - 1}, but this node had verified it up to entry {bad + 1}" in html
    )


def test_a_clean_node_raises_no_alarm_before_or_after_a_restart(scene: Scene, settings: Any) -> None:
    # given a node whose rows are untouched, that signs a checkpoint and keeps appending
    settings.AYLLU_SERVED_SECONDS = 0
    log = scene.assembly.log
    do_sign_checkpoint(log)
    client = Client()
    for round in range(3):
        # when
        pages = [client.get(a) for a in ("/es/", f"/es/asamblea/{log}/registro/", f"/api/assemblies/{log}")]
        posted = client.post(
            f"/api/assemblies/{log}/acts",
            _notice_payload(scene, f"n{round}"),
            content_type="application/json",
        )
        # then
        assert posted.status_code == 201, posted.content
        assert [p["Ayllu-Served"] for p in pages] == ["ok"] * 3
        assert "no pasa la verificación" not in pages[0].content.decode()
        restart()
    assert (
        client.get(f"/en/assembly/{log}/record/").content.decode().count("The record holds on this node") == 1
    )


def test_a_restored_good_copy_clears_the_alarm(scene: Scene) -> None:
    # given the proposal's words altered, found on restart
    entry = parse_entry(bytes(_entry(scene.assembly.log, scene.proposal).header))
    good = bytes(models.Body.objects.get(hash=entry.act.body).raw)
    alter_proposal_text(scene)
    restart()
    assert Client().get("/en/")["Ayllu-Served"].startswith("damaged")
    # when the operator puts the good bytes back and restarts the node
    models.Body.objects.filter(hash=entry.act.body).update(raw=good)
    restart()
    # then
    client = Client()
    assert client.get("/en/")["Ayllu-Served"] == "ok"
    posted = client.post(
        f"/api/assemblies/{scene.assembly.log}/acts",
        _notice_payload(scene, "again"),
        content_type="application/json",
    )
    assert posted.status_code == 201


def test_a_record_bad_from_its_first_entry_still_answers_every_page(scene: Scene) -> None:
    # given the founding's body altered, then a restart: no entry of the record verifies
    log = scene.assembly.log
    founding = parse_entry(bytes(_entry(log, 1).header))
    models.Body.objects.filter(record__log=log, hash=founding.act.body).update(raw=b'{"name":"Otra"}')
    restart()
    client = Client()
    # when / then: the pages answer, warn, and show nothing of the record's words
    for address in (f"/en/assembly/{log}/", f"/en/assembly/{log}/proposals/", f"/en/assembly/{log}/record/"):
        response = client.get(address)
        assert response.status_code in (200, 404), address
        assert response["Ayllu-Served"].startswith(f"damaged; log={log}; seq=1;"), address
        assert PROPOSAL_TEXT not in response.content.decode()


# Changes inside rows already checked that leave the record's head as it was: before the sweep, a node
# saw them only on its next start.
INSIDE_TAMPERING: dict[str, Callable[[Scene], int]] = {
    "altered proposal text": alter_proposal_text,
    "altered ballot header": alter_a_ballot_header,
    "altered signature": alter_a_signature,
}


@pytest.mark.parametrize("tamper", INSIDE_TAMPERING.values(), ids=INSIDE_TAMPERING.keys())
def test_a_change_inside_checked_rows_is_seen_while_the_node_runs(
    scene: Scene, settings: Any, tamper: Callable[[Scene], int]
) -> None:
    # given a node that checked its record, its sweep hashing a few rows again each period
    settings.AYLLU_SERVED_SECONDS = 0
    settings.AYLLU_SERVED_SWEEP_ROWS = 3
    client = Client()
    assert client.get("/en/")["Ayllu-Served"] == "ok"
    size = models.Record.objects.get(log=scene.assembly.log).head_seq
    # when a row inside what was checked is changed, the head staying as it was, and the node keeps
    # answering (no restart) for as many periods as a whole sweep takes
    bad = tamper(scene)
    answers = []
    for _ in range(-(-size // 3) + 1):
        sweep_pass()  # what the thread of `ayllu serve` does each period
        answers.append(client.get("/en/")["Ayllu-Served"])
    # then it says so, naming the entry, and refuses writes
    assert answers[-1].startswith(f"damaged; log={scene.assembly.log}; seq={bad}; code="), answers
    posted = client.post(
        f"/api/assemblies/{scene.assembly.log}/acts",
        _notice_payload(scene, "after"),
        content_type="application/json",
    )
    assert posted.status_code == 503 and posted.json()["code"] == "record_damaged"


def test_a_clean_node_s_sweep_raises_no_alarm(scene: Scene, settings: Any) -> None:
    # given a node sweeping two rows a period over a record that keeps growing
    settings.AYLLU_SERVED_SECONDS = 0
    settings.AYLLU_SERVED_SWEEP_ROWS = 2
    client = Client()
    for round in range(12):
        # when
        sweep_pass()
        answer = client.get("/en/")["Ayllu-Served"]
        if round % 3 == 0:
            posted = client.post(
                f"/api/assemblies/{scene.assembly.log}/acts",
                _notice_payload(scene, f"s{round}"),
                content_type="application/json",
            )
            assert posted.status_code == 201, posted.content
        # then
        assert answer == "ok"


def test_a_damage_found_in_rows_since_replaced_is_not_named(scene: Scene) -> None:
    # given a node that found the proposal's words altered, in a transaction then rolled back: the
    # database holds the sound record again (as the next test's does, or after an operator's restore)
    # while the process remembers the damage, and nothing tells it to forget
    log = scene.assembly.log
    size = models.Record.objects.get(log=log).head_seq
    restart()
    with transaction.atomic():
        alter_proposal_text(scene)
        client = Client()
        assert client.get("/en/")["Ayllu-Served"].startswith(f"damaged; log={log}; seq={scene.proposal};")
        transaction.set_rollback(True)
    # when an act is appended straight through the write path (as a command or a follower does), then
    # a page asked and an act posted
    appended = act(scene.assembly, scene.assembly.members[1], "notice.posted", {"text": "straight"})
    answer = client.get("/en/")
    posted = client.post(
        f"/api/assemblies/{log}/acts", _notice_payload(scene, "later"), content_type="application/json"
    )
    # then the sound record is served and written to
    assert appended == size + 1
    assert answer["Ayllu-Served"] == "ok"
    assert posted.status_code == 201, posted.content
    assert models.Record.objects.get(log=log).head_seq == size + 2


def test_a_request_does_not_sweep(scene: Scene, settings: Any) -> None:
    # given a node whose periodic check is due on every request, with a sweep of every row a period
    settings.AYLLU_SERVED_SECONDS = 0
    settings.AYLLU_SERVED_SWEEP_ROWS = 10_000
    client = Client()
    assert client.get("/en/")["Ayllu-Served"] == "ok"
    bad = alter_proposal_text(scene)
    # when requests come: they compare heads only, the sweep is the thread's
    quiet = [client.get("/en/")["Ayllu-Served"] for _ in range(3)]
    sweep_pass()
    # then the change is found by the sweep's pass, and named by the next request
    assert quiet == ["ok"] * 3
    assert client.get("/en/")["Ayllu-Served"].startswith(f"damaged; log={scene.assembly.log}; seq={bad};")


def test_a_follower_s_request_checks_its_record_without_waiting_for_every_record(
    scene: Scene, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a node just started, holding a damaged record besides the one a follower asks for: on a
    # node of many records the first check of every record takes longer than a follower waits
    other = found_with_officers("Junta Vecinal Alto Lima")
    bad = alter_proposal_text(scene)
    restart()
    checked_every_record: list[bool] = []
    monkeypatch.setattr(served, "_check_every_record", lambda: checked_every_record.append(True))
    client = Client()
    # when a follower asks for the other record's checkpoint and entries, and the node's index
    answers = [
        client.get(f"/fed/{other.log}/checkpoint/"),
        client.get(f"/fed/{other.log}/entries/"),
        client.get("/fed/"),
    ]
    # then they are answered without checking every record, each of its own record
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert [a["Ayllu-Served"] for a in answers] == ["ok", "ok", "ok"]
    assert checked_every_record == []
    # and an answer about the damaged record names its damage
    damaged = client.get(f"/fed/{scene.assembly.log}/entries/")
    assert damaged["Ayllu-Served"].startswith(f"damaged; log={scene.assembly.log}; seq={bad};")
    # and a page still checks every record first
    client.get("/en/")
    assert checked_every_record


def _first_check_statements() -> tuple[int, served.NodeServed]:
    restart()
    with CaptureQueriesContext(connection) as statements:
        status = served.node_served()
    return len(statements), status


def test_the_first_check_of_every_record_reads_their_rows_together_and_names_the_damage(scene: Scene) -> None:
    # given a node of one record, checked on start
    alone, status = _first_check_statements()
    assert status.ok
    # when it holds four more records, sound, and restarts
    for name in ("Alto Lima", "Villa Adela", "Senkata", "Rosas Pampa"):
        found_with_officers(f"Junta Vecinal {name}")
    together, status = _first_check_statements()
    # then their rows are read in the same statements, none per record
    assert status.ok
    assert together == alone
    # and when one record's words are altered behind the node's back, the restart names it as before
    bad = alter_proposal_text(scene)
    _, status = _first_check_statements()
    assert [(d.log, d.seq) for d in status.damaged] == [(scene.assembly.log, bad)]
    assert models.ServedSeal.objects.get(record__log=scene.assembly.log).problem_seq == bad
