"""Founding a federation from the browser, page by page (es/en): the found page's other choice, each
founder named by their assembly (one this node holds, chosen by name, or a record id pasted), the
federation's rules; bad input refused in words with nothing kept; then the same draft steps as an
assembly's, ending in a federation whose founding assemblies are its members.

The founders' devices are played here by Keypairs signing exactly what the page gives them to sign.
"""

import json
import re

import pytest
from django.test import Client

from ayllu.actions.founding_drafts import do_open_draft, founding_act, get_draft
from ayllu.actions.record import forget_replayed_state
from ayllu.core.assembly.rule_errors import InvalidCharter
from ayllu.core.federations.errors import NotAnAssemblyId
from ayllu.core.ledger.canonical import canonical_bytes
from ayllu.core.ledger.keys import ACT_CONTEXT, ENDORSE_CONTEXT
from ayllu.queries.federations import get_federation
from ayllu.storage import clock, models
from factories.keys import keypair
from factories.stored import StoredAssembly, found, log_in_as

FOUND = {"es": "/es/fundar/", "en": "/en/found/"}
ELSEWHERE = "ab" * 32  # an assembly another node holds
WORDS = {
    "es": {
        "choice": "Una federación de asambleas",
        "start": "Empezar la fundación",
        "not_here": "Fundador 2: esa asamblea no está en este nodo.",
        "malformed": "Fundador 2: el identificador de un registro tiene 64 caracteres",
        "both": "Fundador 1: elija la asamblea de la lista o pegue el identificador de su registro",
        "nobody": "Indique la asamblea de cada fundador, la suya primero.",
        "delegates": "Delegados por asamblea: un número entero de 1 a 50.",
        "grace": "Horas para citar revocaciones: un número entero de 0 a 720.",
        "blocking": "Asambleas que pueden bloquear: un número entero de 1 a 100000.",
        "name": "Dé un nombre a la federación",
        "founded": "La federación está fundada.",
        "next": "Después: los delegados ocupan sus puestos",
        "delegate_of": "delegado de",
    },
    "en": {
        "choice": "A federation of assemblies",
        "start": "Start the founding",
        "not_here": "Founder 2: that assembly is not on this node.",
        "malformed": "Founder 2: a record id has 64 characters",
        "both": "Founder 1: choose the assembly from the list or paste its record id, not both.",
        "nobody": "Name the assembly of each founder, yours first.",
        "delegates": "Delegates per assembly: a whole number from 1 to 50.",
        "grace": "Hours to cite recalls: a whole number from 0 to 720.",
        "blocking": "Assemblies that can block: a whole number from 1 to 100000.",
        "name": "Give the federation a name",
        "founded": "The federation is founded.",
        "next": "Next: the delegates take their seats",
        "delegate_of": "delegate of",
    },
}
FOUNDERS = (keypair(41), keypair(42), keypair(43))


@pytest.fixture(autouse=True)
def fresh_state(db: None) -> None:
    forget_replayed_state()


@pytest.fixture
def homes() -> tuple[StoredAssembly, StoredAssembly]:
    return found("Junta Vecinal Villa Fátima"), found("Junta Vecinal Alto Obrajes", members=[keypair(7)])


def form(*rows: tuple[str, str], **fields: str) -> dict[str, object]:
    """The found form of a federation with founder `rows` (chosen, pasted) and the rules' defaults."""
    data: dict[str, object] = {
        "kind": "federation",
        "name": "Federación de Juntas del Sur",
        "held": [r[0] for r in rows],
        "pasted": [r[1] for r in rows],
        "delegates": "2",
        "joining": "closed",
        "grace": "48",
        "rule": "assemblies",
        "share": "1/2",
        "cap": "100",
        "households_share": "1/2",
        "blocking": "2",
    }
    return data | fields


def links_of(client: Client, first: str) -> list[str]:
    page = client.get(first).content.decode()
    return re.findall(r'class="[^"]*founding-link[^"]*"[^>]*>http://testserver([^<]+)<', page)


def post(client: Client, path: str, payload: dict[str, str]) -> tuple[int, dict[str, str]]:
    response = client.post(path, json.dumps(payload), content_type="application/json")
    return response.status_code, response.json()


@pytest.mark.parametrize("lang", ["es", "en"])
def test_the_found_page_offers_a_federation_whose_founders_pick_held_assemblies_by_name(
    lang: str, homes: tuple[StoredAssembly, StoredAssembly]
) -> None:
    # when
    plain = Client().get(FOUND[lang]).content.decode()
    page = Client().get(FOUND[lang] + ("?federacion=1" if lang == "es" else "?federation=1")).content.decode()
    # then: the choice is on the assembly's page; the federation's page lists the held assemblies by name
    assert WORDS[lang]["choice"] in plain and 'name="households"' in plain and 'name="held"' not in plain
    assert 'name="kind" value="federation"' in page and 'name="households"' not in page
    for home in homes:
        assert f'<option value="{home.log}">{home.name}</option>' in page
    assert page.count('name="held"') == 2 and page.count('name="pasted"') == 2
    assert 'name="delegates"' in page and 'name="joining"' in page and 'name="grace"' in page


def test_adding_a_founder_shows_one_more_row_keeps_what_was_given_and_opens_nothing(
    homes: tuple[StoredAssembly, StoredAssembly],
) -> None:
    # when
    data = form((homes[0].log, ""), ("", ELSEWHERE), delegates="3") | {"add": "1"}
    response = Client().post(FOUND["en"], data)
    # then
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('name="held"') == 3
    assert f'<option value="{homes[0].log}" selected>' in page and f'value="{ELSEWHERE}"' in page
    assert 'name="delegates" min="1" max="50" inputmode="numeric" value="3"' in page
    assert models.FoundingDraft.objects.count() == 0


@pytest.mark.parametrize("lang", ["es", "en"])
@pytest.mark.parametrize(
    ("case", "rows", "fields"),
    [
        ("not_here", [("", ELSEWHERE), ("cd" * 32, "")], {}),
        ("malformed", [("", ELSEWHERE), ("", "not-a-record-id")], {}),
        ("malformed", [("", ELSEWHERE), ("", "AB" * 31)], {}),
        ("both", [("HOME", "cd" * 32)], {}),
        ("nobody", [("", ""), ("", "")], {}),
        ("delegates", [("HOME", "")], {"delegates": "0"}),
        ("delegates", [("HOME", "")], {"delegates": "51"}),
        ("grace", [("HOME", "")], {"grace": "muchas"}),
        ("blocking", [("HOME", "")], {"rule": "double_majority", "blocking": "0"}),
        ("name", [("HOME", "")], {"name": "  "}),
    ],
)
def test_bad_federation_input_is_refused_in_words_and_nothing_is_kept(
    lang: str,
    case: str,
    rows: list[tuple[str, str]],
    fields: dict[str, str],
    homes: tuple[StoredAssembly, StoredAssembly],
) -> None:
    # given
    rows = [(homes[0].log if chosen == "HOME" else chosen, pasted) for chosen, pasted in rows]
    # when
    response = Client().post(FOUND[lang], form(*rows, **fields))
    # then
    assert response.status_code == 400
    assert WORDS[lang][case] in response.content.decode()
    assert models.FoundingDraft.objects.count() == 0 and models.FoundingSeat.objects.count() == 0


def test_the_same_assembly_may_send_two_founders_and_a_pasted_id_is_read_in_lowercase(
    homes: tuple[StoredAssembly, StoredAssembly],
) -> None:
    # when
    response = Client().post(FOUND["en"], form((homes[0].log, ""), ("", homes[0].log.upper())))
    # then
    assert response.status_code == 302
    draft = models.FoundingDraft.objects.get()
    assert [s.household for s in draft.seats.order_by("position")] == [homes[0].log, homes[0].log]


@pytest.mark.parametrize("lang", ["es", "en"])
def test_founders_of_three_assemblies_found_a_federation_step_by_step(
    lang: str, homes: tuple[StoredAssembly, StoredAssembly]
) -> None:
    # given: a federation's draft of two held assemblies and one held elsewhere, with its rules
    client = Client()
    rows = ((homes[0].log, ""), (homes[1].log, homes[1].log), ("", ELSEWHERE))
    rules = {"delegates": "3", "joining": "open", "grace": "24", "rule": "households_capped", "cap": "80"}
    response = client.post(FOUND[lang], form(*rows, **rules))
    assert response.status_code == 302
    links = links_of(client, response["Location"])
    draft = response["Location"].strip("/").split("/")[-2]
    assert len(links) == 3
    first = client.get(links[0]).content.decode()
    assert homes[0].name in first and WORDS[lang]["delegate_of"] in first
    # when: every founder files a key, endorses the frozen content, and the first founder signs
    for link, founder in zip(links, FOUNDERS, strict=True):
        assert post(client, link, {"key": founder.public})[0] == 200
    content = json.loads(get_draft(draft).content)
    for link, founder in zip(links, FOUNDERS, strict=True):
        assert post(client, link, {"sig": founder.sign(ENDORSE_CONTEXT, canonical_bytes(content))})[0] == 200
    assert models.Record.objects.count() == 2  # only the two home assemblies: nothing founded yet
    act = founding_act(get_draft(draft)).as_json()
    status, answer = post(client, links[0], {"asig": FOUNDERS[0].sign(ACT_CONTEXT, canonical_bytes(act))})
    # then: a federation whose founding assemblies are its members, with the rules given and no cargo
    assert status == 201
    log = answer["log"]
    assert content["charter"]["federation"] == {
        "delegates_per_assembly": 3,
        "joining": "open",
        "recall_grace_hours": 24,
        "ratification": {"rule": "households_capped", "share": "1/2", "cap": 80},
    }
    assert content["cargos"] == []
    federation = get_federation(log, now=clock.now_ms())
    assert federation is not None
    assert {a.assembly for a in federation.assemblies} == {homes[0].log, homes[1].log, ELSEWHERE}
    # and every founder's page says so, tells the next step and leads to the federation's page
    page = Client().get(links[1]).content.decode()
    assert WORDS[lang]["founded"] in page and WORDS[lang]["next"] in page and " data-stay " in page
    federation_home = re.findall(rf'href="(/{lang}/[^"]*/{log}/[^"]+)"', page)
    for home in homes:
        assert f"/{home.log}/" in page and home.name in page
    member = Client()
    log_in_as(member, log, FOUNDERS[2])
    assert member.get(federation_home[0]).status_code == 200


@pytest.mark.parametrize(
    ("households", "block", "refusal"),
    [
        (["casa-1", ELSEWHERE], {"delegates_per_assembly": 2, "joining": "closed"}, NotAnAssemblyId),
        ([ELSEWHERE], {"delegates_per_assembly": 51, "joining": "closed"}, InvalidCharter),
        ([ELSEWHERE], {"delegates_per_assembly": 2, "joining": "sometimes"}, InvalidCharter),
    ],
)
def test_a_federation_draft_the_core_would_refuse_is_not_opened(
    households: list[str], block: dict[str, object], refusal: type[Exception]
) -> None:
    # when / then: the draft's own check, whatever form sent it
    with pytest.raises(refusal):
        do_open_draft("Federación", households=households, federation=block)
    assert models.FoundingDraft.objects.count() == 0
