"""A federation's home page is served with conditional GET, keyed by the federation's head and by the
heads (and checkpoints) of the member records it reads, the reader and the language; reading it writes
nothing: the checkpoint a form cites is signed with the write that appends the cited entry."""

from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.sessions.backends.cached_db import SessionStore
from django.db import connection
from django.http import HttpRequest
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from ayllu.actions.record import do_sign_checkpoint
from ayllu.core.cargos.powers import represent_in
from ayllu.queries.federations import get_records_version
from ayllu.queries.replayed import read_state
from ayllu.storage import clock as node_clock
from ayllu.storage import models
from ayllu.web import auth, page_cache
from factories.federations_stored import found_stored_federation
from factories.scenes import CargoAssembly, Clock, create_cargo, found_cargo_assembly
from factories.statements import statements
from factories.stored import log_in_as, page_url


@dataclass
class Home:
    council: CargoAssembly
    fed: str

    @property
    def log(self) -> str:
        return self.council.log

    def url(self, lang: str) -> str:
        return page_url("federation_home", lang, log=self.fed)

    def log_in_delegate(self, client: Client) -> None:
        [holder] = self.council.holders("delegado")
        log_in_as(client, self.log, self.council.keys[holder])


@pytest.fixture
def home(clock: Clock) -> Home:
    """A council sealed on this node, member of a federation held here, with a cargo representing it."""
    council = found_cargo_assembly(clock)
    fed = found_stored_federation({"ana": council})  # type: ignore[dict-item]
    create_cargo(council, "delegado", powers=[represent_in(fed)])
    return Home(council, fed)


def _issue_credential(home: Home) -> int:
    council = home.council
    [holder] = council.holders("delegado")
    until = read_state(council.log, lambda s: s.cargos["delegado"].holders[council.pub(holder)])
    return council.act(holder, "delegate.accredited", {"federation": home.fed, "until": until})


def _covered(log: str) -> int:
    sizes = models.Checkpoint.objects.filter(record__log=log).values_list("size", flat=True)
    return max(sizes, default=0)


def _writes() -> tuple[int, int, int]:
    return models.Checkpoint.objects.count(), models.Entry.objects.count(), models.Body.objects.count()


def test_a_credential_appended_here_is_covered_by_a_checkpoint_signed_with_it(
    client: Client, home: Home
) -> None:
    # given a head no checkpoint covers (the cargo's decision is cited by nobody)
    assert _covered(home.log) < read_state(home.log, lambda s: s.size)
    # when the delegate issues their credential, which the federation's seat cites
    seq = _issue_credential(home)
    # then the node sealing the record signed a checkpoint covering it with the write, before any page
    assert _covered(home.log) == seq
    home.log_in_delegate(client)  # the seat's form is the delegate's, logged in at home
    page = client.get(home.url("en")).content.decode()
    assert 'data-type="federation.seated"' in page


def test_reading_the_federation_page_writes_nothing(client: Client, home: Home) -> None:
    # given a member record sealed here whose head no checkpoint covers
    assert _covered(home.log) < read_state(home.log, lambda s: s.size)
    before = _writes()
    url = home.url("es")
    # when an outsider reads the federation's page, then a delegate logged in at home
    assert client.get(url).status_code == 200
    home.log_in_delegate(client)
    assert client.get(url).status_code == 200
    # then nothing was written: no checkpoint, entry or body
    assert models.Checkpoint.objects.count() == before[0]
    assert _writes()[1:] == before[1:]


def test_asked_again_the_page_is_not_modified_until_a_member_record_grows(client: Client, home: Home) -> None:
    # given the page a delegate logged in at home reads, and its ETag
    url = home.url("en")
    home.log_in_delegate(client)
    first = client.get(url)
    etag = first["ETag"]
    # when asked again with it, then 304 Not Modified
    again = client.get(url, headers={"if-none-match": etag})
    assert "no-cache" in first["Cache-Control"] and again.status_code == 304
    # when the member assembly's record grows (its delegate's credential, which the page offers a seat for)
    _issue_credential(home)
    changed = client.get(url, headers={"if-none-match": etag})
    # then the page is sent again, with a new ETag and the seat's form
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert 'data-type="federation.seated"' not in first.content.decode()
    assert 'data-type="federation.seated"' in changed.content.decode()


def test_the_page_follows_its_reader(client: Client, home: Home) -> None:
    # given the credential issued, and the page as an outsider sees it
    _issue_credential(home)
    url = home.url("en")
    outsider = client.get(url)
    # when the delegate logs in at home and asks with the outsider's ETag
    home.log_in_delegate(client)
    delegate = client.get(url, headers={"if-none-match": outsider["ETag"]})
    # then their own page is sent, telling them their seat waits, theirs alone; asked again, 304
    assert delegate.status_code == 200 and delegate["ETag"] != outsider["ETag"]
    assert "Your credential is ready: take your seat" in delegate.content.decode()
    assert "Your credential is ready" not in outsider.content.decode()
    assert "private" in delegate["Cache-Control"]
    assert client.get(url, headers={"if-none-match": delegate["ETag"]}).status_code == 304


def test_the_language_is_part_of_the_key(client: Client, home: Home) -> None:
    # when
    english = client.get(home.url("en"))
    spanish = client.get(home.url("es"))
    # then
    assert english["ETag"] != spanish["ETag"]


def test_a_new_checkpoint_of_a_member_record_changes_the_key(client: Client, home: Home) -> None:
    # given the page, and a member record whose head no checkpoint covers
    first = client.get(home.url("en"))
    assert _covered(home.log) < read_state(home.log, lambda s: s.size)
    # when a checkpoint of it is signed (as `ayllu cite` does), the head unchanged
    do_sign_checkpoint(home.log)
    # then the page's forms may cite its entries now: it is sent again
    assert client.get(home.url("en"), headers={"if-none-match": first["ETag"]}).status_code == 200


def _request(client: Client) -> HttpRequest:
    request = RequestFactory().get("/")
    request.session = client.session
    return request


def test_one_answer_to_which_login_at_home_acts_in_the_federation(client: Client, home: Home) -> None:
    # given nobody logged in: no login at home, and the federation's page key names no reader
    assert auth.home_login(_request(client), log=home.fed) is None
    # when the delegate logs in at home
    home.log_in_delegate(client)
    request = _request(client)
    login = auth.current_login(request)
    assert login is not None and login.log == home.log
    # then that login acts in the federation, and the key of every page in AWAY_FORMS follows it
    assert auth.home_login(request, log=home.fed) == login
    for view in page_cache.AWAY_FORMS:
        key = page_cache.page_key(_request(client), view=view, log=home.fed, now=node_clock.now_ms())
        assert key.reader == f"{home.log}:{login.key}", view
    # and not in their own record (no federation); another page of the federation names only their
    # assembly (its header shows it), never an outsider's page
    assert auth.home_login(request, log=home.log) is None
    other = page_cache.page_key(_request(client), view="members", log=home.fed, now=node_clock.now_ms())
    assert other.reader == f"{home.log}:"


def _reads_member_heads(queries: CaptureQueriesContext) -> bool:
    return any("ayllu_checkpoint" in q["sql"] for q in queries.captured_queries)


def test_the_member_records_are_read_again_only_after_a_record_is_written(client: Client, home: Home) -> None:
    # given the page, its key made from its member records' heads and checkpoints
    url = home.url("en")
    first = client.get(url)
    # when asked again with no record written since
    with CaptureQueriesContext(connection) as asked:
        assert client.get(url, headers={"if-none-match": first["ETag"]}).status_code == 304
    # then the member records' heads are not read again: one row (the node's records version) says so
    assert not _reads_member_heads(asked)
    # when a member record is written (its delegate's credential), the version moves on
    before = get_records_version()
    _issue_credential(home)
    assert get_records_version() != before
    # then the heads are read again, and the page is sent anew
    with CaptureQueriesContext(connection) as asked:
        changed = client.get(url, headers={"if-none-match": first["ETag"]})
    assert _reads_member_heads(asked)
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]


def test_an_outsider_without_a_session_cookie_reads_no_session(
    client: Client, home: Home, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a session store that must not be read
    def refuse(store: SessionStore) -> None:
        raise AssertionError("the session store was read")

    monkeypatch.setattr(SessionStore, "load", refuse)
    # when an outsider asks for the page, then again holding it
    first = client.get(home.url("es"))
    again = client.get(home.url("es"), headers={"if-none-match": first["ETag"]})
    # then they get it, and a 304, without a session
    assert (first.status_code, again.status_code) == (200, 304)
    assert "sessionid" not in client.cookies


def test_asked_again_the_key_reads_the_record_in_one_statement(
    client: Client, home: Home, settings: Any
) -> None:
    # given the federation's page and its member's home, each asked for once (the node's check of
    # every record, run every AYLLU_SERVED_SECONDS, not due meanwhile)
    settings.AYLLU_SERVED_SECONDS = 3600
    federation, council = home.url("en"), page_url("assembly", "en", log=home.log)
    tags = {url: client.get(url)["ETag"] for url in (federation, council)}
    for url, tag in tags.items():
        # when asked again holding it
        with statements() as ran:
            assert client.get(url, headers={"if-none-match": tag}).status_code == 304
        # then the record's head and the node's records version are read in one statement (one round
        # trip on PostgreSQL), and the other records the page reads are not read again
        assert [s for s in ran if "head_seq" in s or "ayllu_checkpoint" in s] == [ran[0]], ran
        assert "ayllu_rate_counter" in ran[0]
    # the federation's page reads nothing else; the home also asks what waits outside its record
    with statements() as ran:
        client.get(federation, headers={"if-none-match": tags[federation]})
    assert len(ran) == 1, ran


def test_a_delegates_page_is_kept_for_them_until_a_member_record_grows(
    client: Client, home: Home, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given the page a delegate logged in at home reads, once (their seat's form on it)
    _issue_credential(home)
    url = home.url("en")
    home.log_in_delegate(client)
    first = client.get(url)
    # when they ask for it again without holding it, the page not to be rendered again
    from ayllu.web import views_federation_body

    render = views_federation_body._render
    monkeypatch.setattr(views_federation_body, "_render", _refuse)
    again = client.get(url)
    # then the same page, theirs alone, with the cookie its forms send
    assert again.status_code == 200 and again.content == first.content
    assert "private" in again["Cache-Control"]
    assert "csrftoken" in again.cookies
    # and an outsider is not given it
    monkeypatch.setattr(views_federation_body, "_render", render)
    assert "take your seat" not in Client().get(url).content.decode()
    # when the member's record grows, the page is rendered again
    monkeypatch.setattr(views_federation_body, "_render", _refuse)
    home.council.act(home.council.holders("delegado")[0], "notice.posted", {"text": "hola"})
    with pytest.raises(AssertionError, match="rendered again"):
        client.get(url)


def _refuse(*args: object, **kwargs: object) -> None:
    raise AssertionError("the page was rendered again")
