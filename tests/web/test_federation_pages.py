"""The pages about other nodes in Spanish and English: records mirrored, witnessing, cosignatures,
evidence in plain words (each downloadable, re-checked by `ayllu check-evidence`), who seals a record
after a move, and the follow page, refused off this machine and, on it, running `ayllu follow`.

Data are made with the real federation actions: entries another node sealed are stored by
`do_extend_replica` (verified, rules replayed), checkpoints noted by `do_note_checkpoint` (which makes
the evidence), cosignatures by `do_cosign_checkpoint` and `do_store_cosignature`.
"""

import http.cookiejar
import re
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings as node_settings
from django.test import Client

from ayllu.actions.record import forget_replayed_state
from ayllu.actions.replication import (
    do_cosign_checkpoint,
    do_extend_replica,
    do_note_checkpoint,
    do_note_follow,
    do_store_cosignature,
    do_store_evidence,
    forget_tips,
)
from ayllu.cli.main import main as ayllu
from ayllu.core.ledger import evidence as ev
from ayllu.core.ledger.checkpoints import Checkpoint, sign_checkpoint
from ayllu.core.ledger.merkle import root_of
from ayllu.core.ledger.record import body_keys, make_body, sign_act
from ayllu.core.ledger.succession import RECORD_MOVED, build_move_content, endorse_move
from ayllu.core.ledger.witness import decide_cosign
from ayllu.storage import models
from ayllu.web import follow_runner
from factories.keys import keypair
from factories.records import MEMBERS, MemoryRecord, federation_record
from factories.stored import StoredAssembly
from federation.fed_nodes import Nodes, free_port

from .test_translations import phrases, po_entries, visible_text

PUBLIC = frozenset({"public"})
OLD_NODE, NEW_NODE, WITNESS = keypair(90), keypair(91), keypair(92)
PEER_URL = "http://192.0.2.7:8000"
WORDS = {
    "es": {"nodes": "nodos", "follow": "nodos/seguir", "progress": "nodos/seguir/progreso"},
    "en": {"nodes": "nodes", "follow": "nodes/follow", "progress": "nodes/follow/progress"},
}


def nodes_url(language: str, page: str = "nodes") -> str:
    return f"/{language}/{WORDS[language][page]}/"


def record_url(language: str, log: str, *rest: str) -> str:
    base = f"/es/asamblea/{log}/registro/" if language == "es" else f"/en/assembly/{log}/record/"
    return base + "".join(rest)


def evidence_url(language: str, log: str) -> str:
    return record_url(language, log, "evidencia/" if language == "es" else "evidence/")


def _store(record: MemoryRecord, first: int, last: int) -> None:
    chosen = record.entries[first - 1 : last]
    do_extend_replica(
        record.log,
        raws=[e.raw for e in chosen],
        bodies={key: record.bodies[key] for e in chosen for key in body_keys(e.act, record.bodies.get)},
        visible=PUBLIC,
    )


def _checkpoint(record: MemoryRecord, size: int, *, time: int, node=OLD_NODE) -> Checkpoint:  # type: ignore[no-untyped-def]
    root = root_of([e.hash for e in record.entries[:size]])
    return sign_checkpoint(node, log=record.log, size=size, root=root, time=time)


def _move(record: MemoryRecord, to: str) -> None:
    """Append `record.moved` to node `to`, endorsed by two of the three members (sealed by the old node)."""
    endorsements = [endorse_move(m, log=record.log, node=to, after=record.head) for m in MEMBERS[:2]]
    body = make_body(build_move_content(node=to, after=record.head, endorsements=endorsements), vis="public")
    record.seal(sign_act(MEMBERS[0], log=record.log, type=RECORD_MOVED, body=body, nonce="move"), body)


@dataclass(frozen=True)
class Scene:
    log: str
    record: MemoryRecord
    fork: ev.Evidence
    withheld: ev.Evidence


def build_scene() -> Scene:
    """A record sealed by OLD_NODE, moved to NEW_NODE at entry 9, mirrored here up to 10 of 12 entries
    from PEER_URL; witnessed here and by WITNESS; with a fork and withheld entries caught."""
    forget_tips()
    forget_replayed_state()
    record = federation_record(OLD_NODE)
    for i in range(7):
        record.notice(f"aviso {i}")
    _move(record, NEW_NODE.public)
    record.node = NEW_NODE
    for i in range(3):
        record.notice(f"nuevo {i}")
    do_note_follow(record.log, url=PEER_URL, size=0, problem="syncing")
    _store(record, 1, 10)
    ten = _checkpoint(record, 10, time=record.time + 1, node=NEW_NODE)
    do_note_checkpoint(ten, source=PEER_URL)
    do_cosign_checkpoint(ten, proof=[], local_hashes=[e.hash for e in record.entries[:10]])
    cosignature = decide_cosign(None, ten, proof=[], witness=WITNESS, time=record.time + 2)
    do_store_cosignature(ten.raw, cosignature.raw)
    twelve = _checkpoint(record, 12, time=record.time + 3, node=NEW_NODE)
    do_note_checkpoint(twelve, source=PEER_URL)
    do_note_follow(record.log, url=PEER_URL, size=10, problem="withheld")
    # the new node shows another entry 11 to someone else: a fork, and it withholds 11 and 12 from us
    other = record.branch(10)
    other.notice("otra historia")
    fork = do_store_evidence(ev.fork_evidence(record.entries[10], other.entries[10]), source=PEER_URL)
    withheld = do_store_evidence(ev.withheld_evidence(twelve, served=10), source=PEER_URL)
    assert fork is not None and withheld is not None
    return Scene(record.log, record, fork, withheld)


@pytest.fixture
def scene(db: None) -> Scene:
    return build_scene()


def text(client: Client, url: str, language: str, **extra: str) -> str:
    response = client.get(url, **extra)  # type: ignore[arg-type]
    assert response.status_code == 200, (url, response.status_code)
    return visible_text(response.content.decode(), language=language)


# --- the node page -------------------------------------------------------------------------------
def test_the_nodes_page_shows_mirrors_witnessing_and_cosignatures_in_spanish(
    client: Client, scene: Scene
) -> None:
    # when
    page = text(client, nodes_url("es"), "es")
    # then: the mirror, from where, how far, how far behind
    assert "Registros que este nodo replica" in page
    assert PEER_URL in page and "Entradas verificadas aquí 10" in page
    assert "Le faltan 2 entradas" in page
    assert "El otro nodo firmó entradas que no entrega." in page
    # and the summary this node cosigned, the witness's cosignature it holds, and the evidence
    assert "Último resumen cofirmado: 10 entradas." in page
    assert "Resumen de 10 entradas" in page and WITNESS.public[:12] in page
    assert "2 pruebas de que un nodo se portó mal." in page


def test_the_nodes_page_in_english(client: Client, scene: Scene) -> None:
    # when
    page = text(client, nodes_url("en"), "en")
    # then
    assert "Records this node mirrors" in page and "2 entries behind" in page
    assert "Last summary cosigned: 10 entries." in page
    assert "2 pieces of evidence that a node misbehaved." in page


def test_an_empty_node_says_it_follows_nothing(client: Client, db: None) -> None:
    # when
    page = text(client, nodes_url("en"), "en")
    # then
    assert "This node does not follow any other node's records yet." in page
    assert "This node has not cosigned any other node's summary yet." in page


# --- the record page: succession and evidence ----------------------------------------------------
def test_the_record_page_shows_the_node_sealing_it_now_and_the_move(client: Client, scene: Scene) -> None:
    # when
    html = client.get(record_url("es", scene.log)).content.decode()
    page = visible_text(html, language="es")
    # then: the new node seals it, the move at entry 9 with its two endorsements, and the evidence
    assert "Lo sella ahora el nodo" in page and NEW_NODE.public in html
    assert "El registro pasó a otro nodo en la entrada 9" in page and "respaldado por 2 miembros" in page
    assert scene.record.entries[8].hash in html
    assert f"Este nodo guarda una copia verificada, seguida desde {PEER_URL}" in page
    assert "2 pruebas de que un nodo se portó mal con este registro" in page


def test_a_record_that_never_moved_says_so(client: Client, db: None) -> None:
    # given: a record this node mirrors, sealed by one node from the start
    forget_tips()
    record = federation_record(OLD_NODE)
    record.notice("uno")
    _store(record, 1, 2)
    # when
    page = text(client, record_url("en", record.log), "en")
    # then
    assert "It has not moved: the node that recorded its first entry still seals it." in page
    assert "No node has been caught showing two histories of this record" in page


@pytest.mark.parametrize("language", ["es", "en"])
def test_the_evidence_page_says_what_each_proves_in_plain_words(
    client: Client, scene: Scene, language: str
) -> None:
    # when
    page = text(client, evidence_url(language, scene.log), language)
    # then
    if language == "es":
        assert "Dos historias (bifurcación)" in page
        assert "El nodo firmó dos entradas distintas con el mismo número, 11" in page
        assert "Entradas retenidas" in page
        assert "firmó que el registro llega a la entrada 11, pero no entregó esa entrada" in page
    else:
        assert "Two histories (fork)" in page
        assert "The node signed two different entries with the same number, 11" in page
        assert "but did not hand that entry over when asked" in page
    assert f"ayllu check-evidence evidence-fork-{scene.fork.id[:12]}.json" in page


def test_downloaded_evidence_checks_with_the_ayllu_command(
    client: Client, scene: Scene, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # given: the page's download link for the fork
    html = client.get(evidence_url("en", scene.log)).content.decode()
    link = re.search(r'href="([^"]+/' + scene.fork.id + r'\.json)"', html)
    assert link is not None
    response = client.get(link.group(1))
    assert (
        response["Content-Disposition"] == f'attachment; filename="evidence-fork-{scene.fork.id[:12]}.json"'
    )
    path = tmp_path / "evidence-fork.json"
    path.write_bytes(response.content)
    # when
    status = ayllu(["check-evidence", str(path)])
    # then
    assert status == 0
    assert f"ok: fork by node {NEW_NODE.public}" in capsys.readouterr().out
    # and one changed byte fails the check
    at = response.content.index(b"asig") + 12
    flipped = b"0" if response.content[at : at + 1] != b"0" else b"1"
    path.write_bytes(response.content[:at] + flipped + response.content[at + 1 :])
    assert ayllu(["check-evidence", str(path)]) == 1


def test_evidence_of_another_record_is_not_found_here(
    client: Client, scene: Scene, assembly: StoredAssembly
) -> None:
    # given: a second record, founded here, with no evidence
    # when
    response = client.get(record_url("en", assembly.log, f"evidence/{scene.fork.id}.json"))
    # then
    assert response.status_code == 404


# --- following -----------------------------------------------------------------------------------
@pytest.mark.parametrize("language", ["es", "en"])
def test_the_follow_form_opens_on_this_machine(client: Client, db: None, language: str) -> None:
    # when
    response = client.get(nodes_url(language, "follow"), REMOTE_ADDR="127.0.0.1")
    # then
    assert response.status_code == 200
    page = visible_text(response.content.decode(), language=language)
    assert ("Dirección del otro nodo" if language == "es" else "The other node's address") in page


def test_the_follow_page_carries_no_csrf_token_and_its_form_posts_with_the_cookies(db: None) -> None:
    # given the operator's browser on this machine, with Django's CSRF check on
    browser = Client(enforce_csrf_checks=True, REMOTE_ADDR="127.0.0.1")
    # when they open the follow page
    shown = browser.get(nodes_url("en", "follow"))
    # then it carries no token, but sets the cookie its form's script reads (csrf-form.js)
    html = shown.content.decode()
    assert "csrfmiddlewaretoken" not in html and "data-ayllu-csrf" in html and "web/js/csrf-form.js" in html
    token = browser.cookies[node_settings.CSRF_COOKIE_NAME].value
    # and the form sent without the token (no JavaScript) is refused with the page that says why,
    # while the one the script fills starts the follow
    bare = browser.post(nodes_url("en", "follow"), {"url": PEER_URL})
    assert bare.status_code == 403 and "This form needs JavaScript" in bare.content.decode()
    with mock.patch.object(follow_runner, "start_follow") as start:
        sent = browser.post(nodes_url("en", "follow"), {"url": PEER_URL, "csrfmiddlewaretoken": token})
    assert sent.status_code == 302 and start.call_args.args == (PEER_URL,)


@pytest.mark.parametrize(
    "meta",
    [
        {"REMOTE_ADDR": "203.0.113.9"},
        {"REMOTE_ADDR": "192.168.1.20"},
        {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.9"},
        {"REMOTE_ADDR": "::1", "HTTP_FORWARDED": "for=203.0.113.9"},
    ],
)
def test_the_follow_page_is_refused_off_this_machine(client: Client, db: None, meta: dict[str, str]) -> None:
    # when: a visitor from elsewhere (or through a proxy on this machine) opens it, or posts to it
    shown = client.get(nodes_url("es", "follow"), **meta)  # type: ignore[arg-type]
    posted = client.post(nodes_url("es", "follow"), {"url": PEER_URL}, **meta)  # type: ignore[arg-type]
    progress = client.get(nodes_url("es", "progress"), **meta)  # type: ignore[arg-type]
    # then: refused, with the command to use instead, and nothing is followed
    assert (shown.status_code, posted.status_code, progress.status_code) == (403, 403, 403)
    page = visible_text(shown.content.decode(), language="es")
    assert "Esta página solo se abre en la computadora del propio nodo" in page and "ayllu follow URL" in page
    assert not models.Follow.objects.exists()


def test_the_follow_page_can_be_turned_off(client: Client, db: None, settings) -> None:  # type: ignore[no-untyped-def]
    # given
    settings.AYLLU_FOLLOW_PAGE = "off"
    # then
    assert client.get(nodes_url("en", "follow"), REMOTE_ADDR="127.0.0.1").status_code == 403
    assert "Follow a record" not in text(client, nodes_url("en"), "en", REMOTE_ADDR="127.0.0.1")


@pytest.mark.parametrize(
    ("form", "language", "message"),
    [
        ({"url": "ftp://192.0.2.7/"}, "en", "The address must start with http:// or https://."),
        ({"url": PEER_URL, "log": "abc"}, "en", "A record identifier is 64 characters, digits and a to f."),
        ({"url": ""}, "es", "Este campo es obligatorio."),
        ({"url": PEER_URL, "log": "xyz"}, "es", "El identificador de un registro tiene 64 caracteres"),
    ],
)
def test_a_bad_follow_form_is_refused_in_words(
    client: Client, db: None, form: dict[str, str], language: str, message: str
) -> None:
    # when
    response = client.post(nodes_url(language, "follow"), form, REMOTE_ADDR="127.0.0.1")
    # then
    assert response.status_code == 400
    assert message in visible_text(response.content.decode(), language=language)
    assert not models.Follow.objects.exists()


# --- one language per page -----------------------------------------------------------------------
@pytest.mark.parametrize("language", ["es", "en"])
def test_the_pages_about_nodes_do_not_mix_languages(client: Client, scene: Scene, language: str) -> None:
    # given
    english = {p for msgid, _, _ in po_entries("es") for p in phrases(msgid)}
    spanish = {p for _, strs, _ in po_entries("es") for s in strs for p in phrases(s)}
    foreign = english - spanish if language == "es" else spanish - english
    pages = [
        nodes_url(language),
        nodes_url(language, "follow"),
        record_url(language, scene.log),
        evidence_url(language, scene.log),
    ]
    for url in pages:
        # when
        page = text(client, url, language, REMOTE_ADDR="127.0.0.1")
        # then
        assert sorted(p for p in foreign if p in page) == [], url
    refused = client.get(nodes_url(language, "follow"), REMOTE_ADDR="203.0.113.9").content.decode()
    assert sorted(p for p in foreign if p in visible_text(refused, language=language)) == []


# --- following from the page, between real nodes on loopback ------------------------------------
class _Browser:
    """A plain HTTP client with cookies, for a node's web app served by a real process."""

    def __init__(self, base: str) -> None:
        self.jar = http.cookiejar.CookieJar()
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=60) as response:
            return str(response.read().decode())

    def post(self, path: str, form: dict[str, str]) -> str:
        """Send the page's form as its script does: the token read from Django's CSRF cookie."""
        assert "csrfmiddlewaretoken" not in self.get(path)
        token = next(c.value for c in self.jar if c.name == node_settings.CSRF_COOKIE_NAME)
        data = urllib.parse.urlencode({**form, "csrfmiddlewaretoken": token}).encode()
        with self.opener.open(self.base + path, data=data, timeout=60) as response:
            return str(response.read().decode())

    def wait_for_follows(self, language: str) -> str:
        """Poll the progress list as the page does, until no follow runs any more."""
        for _ in range(600):
            html = self.get(nodes_url(language, "progress"))
            if "hx-trigger" not in html:
                return visible_text(html, language=language)
            time.sleep(0.2)
        raise AssertionError("the follow started from the page never ended")


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[Nodes]:
    nodes = Nodes(tmp_path)
    try:
        yield nodes
    finally:
        nodes.stop_all()


@pytest.mark.slow  # real nodes on loopback
def test_following_from_the_page_stores_the_verified_record(cluster: Nodes) -> None:
    # given: an assembly's node, and this node's web app, both on loopback
    origin = cluster.start("origin")
    log = origin.seed("found")
    origin.seed("append", "30")
    here = cluster.start("here")
    browser = _Browser(here.url)
    # when: the operator, on this machine, follows the record from the page
    browser.post(nodes_url("es", "follow"), {"url": origin.url, "log": log})
    progress = browser.wait_for_follows("es")
    # then: the page says it is done, and what this node stored re-verifies whole with the pure core
    assert "Listo: todo lo recibido se verificó y se guardó" in progress
    assert "31 de 31 entradas verificadas y guardadas" in progress
    assert here.verified().size == 31 and here.stored()[0] == log
    # and the page about other nodes shows the mirror
    nodes_page = visible_text(browser.get(nodes_url("es")), language="es")
    assert origin.url in nodes_page and "Al día con el último resumen visto" in nodes_page


@pytest.mark.slow  # real nodes on loopback
def test_a_node_that_cannot_be_reached_is_said_in_words(cluster: Nodes) -> None:
    # given: this node's web app, and an address where nothing answers
    here = cluster.start("here")
    browser = _Browser(here.url)
    # when
    browser.post(nodes_url("en", "follow"), {"url": f"http://127.0.0.1:{free_port()}"})
    progress = browser.wait_for_follows("en")
    # then
    assert "Could not follow" in progress
    assert "The other node could not be reached, or its answer was not readable." in progress
    assert here.stored()[1] == []
