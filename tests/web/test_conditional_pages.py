"""The assembly's pages besides its home are served with conditional GET too (web/page_cache.py,
`conditional_page`): asked for again with their ETag they are answered 304 Not Modified, without being
rendered, until the record, the reader or the language changes them; a logged-in reader's page is
private."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from ayllu.actions.record import forget_replayed_state
from ayllu.storage import clock as clock_module
from ayllu.web import page_cache
from factories.scenes import meeting_with_everyone
from factories.stored import StoredAssembly, found_with_officers, log_in_as

from .test_page_cache import table

PAGES = [
    "charter",
    "members",
    "proposals",
    "proposal",
    "meetings",
    "meeting",
    "meeting_live",
    "minutes",
    "cargos",
    "mandates",
    "recall",
    "draws",
    "concentration",
]


@pytest.fixture
def assembly(db: None, monkeypatch: pytest.MonkeyPatch) -> StoredAssembly:
    # The node's clock stands still in the middle of a guard period (every ETag changes at its end).
    period = page_cache._period_ms()
    steady = (clock_module.now_ms() // period + 1) * period + period // 2
    monkeypatch.setattr(clock_module, "now_ms", lambda: steady)
    forget_replayed_state()
    return found_with_officers("Junta Vecinal Villa Esperanza")


def url(name: str, log: str, *, language: str = "en", proposal: int = 1, meeting: int = 1) -> str:
    kwargs: dict[str, object] = {"log": log}
    if name == "proposal":
        kwargs["proposal_id"] = proposal
    elif name.startswith("meeting_") or name in ("meeting", "minutes"):
        kwargs["meeting_id"] = meeting
    with translation.override(language):
        return reverse(f"web:{name}", kwargs=kwargs)


@pytest.mark.parametrize("name", PAGES)
def test_a_page_asked_again_is_not_modified_until_the_record_changes(
    assembly: StoredAssembly, name: str
) -> None:
    # given a member who read the page (a meeting and a proposal are on the record)
    meeting = meeting_with_everyone(assembly)
    proposal = table(assembly, "Arreglo de la plaza")
    browser = Client()
    log_in_as(browser, assembly.log, assembly.members[0])
    address = url(name, assembly.log, proposal=proposal, meeting=meeting)
    first = browser.get(address)
    assert first.status_code == 200
    # when they ask again with its ETag, before and after the record grows
    again = browser.get(address, HTTP_IF_NONE_MATCH=first.headers["ETag"])
    table(assembly, "Fiesta del barrio")
    after = browser.get(address, HTTP_IF_NONE_MATCH=first.headers["ETag"])
    # then it is not modified, and not rendered, until the record changed; the page is theirs alone
    assert again.status_code == 304 and not again.templates
    assert after.status_code == 200 and after.headers["ETag"] != first.headers["ETag"]
    assert {"no-cache", "private"} <= set(first.headers["Cache-Control"].replace(" ", "").split(","))
    assert "private" in again.headers["Cache-Control"]


@pytest.mark.parametrize("name", PAGES)
def test_an_outsider_and_the_other_language_get_pages_of_their_own(
    assembly: StoredAssembly, name: str
) -> None:
    # given a member's page and its ETag
    ids = {"meeting": meeting_with_everyone(assembly), "proposal": table(assembly, "Arreglo de la plaza")}
    browser = Client()
    log_in_as(browser, assembly.log, assembly.members[0])
    held = browser.get(url(name, assembly.log, **ids)).headers["ETag"]
    # when an outsider, and the member in Spanish, ask with that ETag
    outsider = Client().get(url(name, assembly.log, **ids), HTTP_IF_NONE_MATCH=held)
    spanish = browser.get(url(name, assembly.log, language="es", **ids), HTTP_IF_NONE_MATCH=held)
    # then each gets a page of their own, and the outsider's is not private
    assert outsider.status_code == 200 and spanish.status_code == 200
    assert "private" not in outsider.headers["Cache-Control"]
    assert len({held, outsider.headers["ETag"], spanish.headers["ETag"]}) == 3
