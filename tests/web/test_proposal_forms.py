"""The proposal page offers a form exactly when the core would accept its act from the reader now.

Regression: the page used to work out whether to offer a ballot without the question's deadline, so a
ballot was offered after it, and the core then refused the vote with vote_after_deadline.
"""

import re
from collections.abc import Iterator

import pytest
from django.test import Client

from ayllu.actions.record import forget_replayed_state
from ayllu.core.errors import DomainError
from factories.records import FOUNDED_AT
from factories.stored import StoredAssembly, act, found_with_officers, log_in_as

VOTING_MS = 60_000


class Clock:
    """The node's clock for entries and pages alike, moved by hand."""

    def __init__(self) -> None:
        self.now = FOUNDED_AT + 1000

    def __call__(self) -> int:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[Clock]:
    fake = Clock()
    monkeypatch.setattr("ayllu.storage.clock.now_ms", fake)
    yield fake


@pytest.fixture
def question(db: None, clock: Clock) -> tuple[StoredAssembly, int, int, int]:
    """A proposal between meetings with a question open until its deadline; the ids and the deadline."""
    forget_replayed_state()
    assembly = found_with_officers("Junta Vecinal Villa Esperanza")
    a = assembly.members[0]
    proposal = act(
        assembly, a, "proposal.tabled", {"matter": "ordinary", "title": "Agua", "text": "", "effect": {}}
    )
    deadline = clock.now + VOTING_MS
    opened = act(assembly, a, "question.opened", {"proposal": proposal, "deadline": deadline})
    return assembly, proposal, opened, deadline


def page(client: Client, assembly: StoredAssembly, proposal: int) -> str:
    response = client.get(f"/en/assembly/{assembly.log}/proposals/{proposal}/")
    assert response.status_code == 200
    return response.content.decode()


def forms(client: Client, assembly: StoredAssembly, proposal: int) -> list[str]:
    """The act types of the forms the proposal's page offers."""
    return re.findall(r'data-type="([a-z_.]+)"', page(client, assembly, proposal))


def first_choice(html: str) -> str:
    """The choice the page's first ballot submits."""
    found = re.search(r'name="body.choice" value="([a-z_]+)"', html)
    assert found is not None
    return found.group(1)


def test_a_ballot_is_offered_until_the_deadline_and_never_after_it(
    client: Client, clock: Clock, question: tuple[StoredAssembly, int, int, int]
) -> None:
    # given a member who has not voted, logged in
    assembly, proposal, opened, deadline = question
    voter = assembly.members[2]
    log_in_as(client, assembly.log, voter)
    # when the page is read at the deadline, then a ballot is offered
    clock.now = deadline
    choice = first_choice(page(client, assembly, proposal))
    # when it is read one millisecond later, then none is
    clock.now = deadline + 1
    assert "vote.cast" not in forms(client, assembly, proposal)
    # and the core refuses the vote then, as the page said
    with pytest.raises(DomainError) as refused:
        act(assembly, voter, "vote.cast", {"question": opened, "choice": choice})
    assert refused.value.code == "vote_after_deadline"


def test_the_ballot_offered_right_before_the_deadline_is_accepted(
    client: Client, clock: Clock, question: tuple[StoredAssembly, int, int, int]
) -> None:
    # given the page offers a ballot to a member at the deadline
    assembly, proposal, opened, deadline = question
    voter = assembly.members[2]
    log_in_as(client, assembly.log, voter)
    clock.now = deadline
    choice = first_choice(page(client, assembly, proposal))
    # when the member submits it then, it is accepted
    seq = act(assembly, voter, "vote.cast", {"question": opened, "choice": choice})
    # then the page offers no second ballot
    assert seq > opened
    assert "vote.cast" not in forms(client, assembly, proposal)


def test_closing_is_offered_only_once_the_core_would_close(
    client: Client, clock: Clock, question: tuple[StoredAssembly, int, int, int]
) -> None:
    # given a member reading the page while the question is open and not everyone answered
    assembly, proposal, opened, deadline = question
    log_in_as(client, assembly.log, assembly.members[1])
    clock.now = deadline
    assert "question.closed" not in forms(client, assembly, proposal)
    # when the deadline has passed, then closing is offered and the core accepts it
    clock.now = deadline + 1
    assert "question.closed" in forms(client, assembly, proposal)
    act(assembly, assembly.members[1], "question.closed", {"question": opened})


def test_an_outsider_is_offered_no_form(
    client: Client, clock: Clock, question: tuple[StoredAssembly, int, int, int]
) -> None:
    assembly, proposal, _, deadline = question
    clock.now = deadline
    assert forms(client, assembly, proposal) == []


def test_the_home_page_asks_for_an_answer_until_the_deadline_and_never_after_it(
    client: Client, clock: Clock, question: tuple[StoredAssembly, int, int, int]
) -> None:
    # given a member who has not voted, logged in
    assembly, proposal, _, deadline = question
    log_in_as(client, assembly.log, assembly.members[2])
    link = f"/en/assembly/{assembly.log}/proposals/{proposal}/"

    def waiting() -> bool:
        html = client.get(f"/en/assembly/{assembly.log}/").content.decode()
        section = html.split('id="questions-title"', 1)[1].split("</section>", 1)[0]
        return link in section

    # when the home page is read at the deadline, then the question waits for the member's answer
    clock.now = deadline
    assert waiting()
    # when it is read one millisecond later, then it does not (the core would refuse the vote)
    clock.now = deadline + 1
    assert not waiting()
