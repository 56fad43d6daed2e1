"""The API takes a federation's member acts from its seated delegates and refuses them, in words, from
anyone else, founders included (decision 0029); an assembly's decision to leave is cited on its route."""

import pytest
from django.test import Client

from ayllu.queries.federations import get_federation
from factories.api import act_request
from factories.assemblies import T0, decide
from factories.federations import cite, found_home
from factories.federations_stored import found_stored_federation, hold, seated_federation
from factories.scenes import Clock


@pytest.fixture
def node_clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr("ayllu.storage.clock.now_ms", fake)
    return fake


def _post(api: Client, url: str, body: dict[str, object], lang: str) -> tuple[int, dict[str, object]]:
    answer = api.post(url, body, content_type="application/json", headers={"accept-language": lang})
    return answer.status_code, answer.json()


TABLED = {"matter": "ordinary", "title": "Agua para el distrito", "text": "", "effect": {}}


@pytest.mark.parametrize(
    ("lang", "start"),
    [("es", "En una federación solo actúa como miembro"), ("en", "In a federation, only a delegate")],
)
def test_a_seated_delegate_tables_in_the_federation_and_an_unseated_founder_is_refused_in_words(
    api: Client, node_clock: Clock, lang: str, start: str
) -> None:
    # given alto's delegate seated in a federation founded here by ana (alto) and dora (bajo)
    scene = seated_federation(node_clock)
    # when dora, a founder whose assembly seated nobody, tables a proposal
    url, body = act_request(scene.log, "dora", "table", **TABLED)
    status, answer = _post(api, url, body, lang)
    # then it is refused, said in the reader's language
    assert (status, answer["code"]) == (409, "not_a_seated_delegate"), answer
    assert str(answer["message"]).startswith(start)
    # and alto's seated delegate tables it
    url, body = act_request(scene.log, scene.delegate, "table", **TABLED)
    status, answer = _post(api, url, body, lang)
    assert status == 201, answer


def test_an_assemblys_decision_to_leave_is_cited_on_its_route_and_it_is_no_member(
    api: Client, node_clock: Clock
) -> None:
    # given alto decided at home to leave a federation founded here, and stated it
    node_clock.now = max(node_clock.now, T0)
    alto, bajo = found_home(["ana", "bea", "carla"]), found_home(["dora", "eva", "flor"])
    fed = found_stored_federation({"ana": alto, "dora": bajo})
    decide(alto, "mandate", {"body": fed, "question": "membership:leave", "position": "yes"})
    entry = alto.act("bea", "membership.decided", {"federation": fed, "action": "leave"})
    node_clock.now = max(node_clock.now, alto.clock + 1000)
    hold(alto, checkpoint=True)
    # when anyone cites it
    content = {
        "assembly": alto.log,
        "cites": [cite(alto, entry).as_json()],
        "decision": alto.bodies[entry.act.body].content(),
    }
    url, body = act_request(fed, "lola", "cite-membership", **content)
    status, answer = _post(api, url, body, "en")
    # then
    assert (status, url) == (201, f"/api/assemblies/{fed}/federation/memberships"), answer
    federation = get_federation(fed, now=node_clock.now)
    assert federation is not None
    assert {a.assembly for a in federation.assemblies} == {bajo.log}
    # and the same decision again is refused
    url, body = act_request(fed, "lola", "cite-membership", **content)
    assert _post(api, url, body, "en")[1]["code"] == "stale_membership_decision"
