"""Words replay copies into an object another act made keep the visibility of the act that wrote them
(core/assembly/words.py, access-policy.md): an objection's answer, a point's ruling, a ballot's choice and the
counts made from it, an accepted amendment's words in its proposal. An outsider's API reads and pages
never show them when that act was signed for members only; a member's do. A household written in a
confidential body is shown to nobody, members included, and never served under /fed/."""

import dataclasses
import json
import time
from typing import Any, cast

import pytest
from django.test import Client

from ayllu.actions.catalogue import ACT_KINDS, sign_kind
from ayllu.core.assembly.words import ReadModel, Said, shown_to
from ayllu.core.charter.households import new_household_id
from ayllu.core.ledger.delegation import delegate_node, sign_request
from ayllu.queries import assembly as q
from ayllu.queries import pages as page_reads
from ayllu.queries import proofs
from factories.api import LATER, PATHS, ApiAssembly, take_in
from factories.charters import instant_charter
from factories.keys import keypair

from .test_visibility import log_in


def signed(asm: ApiAssembly, who: str, kind_name: str, *, vis: str, **values: Any) -> int:
    """Sign an act as `who` with a body of visibility `vis`, post it through its API route; its seq."""
    nonce = f"{vis}-{kind_name}-{who}-{time.monotonic_ns()}"
    act, _ = sign_kind(keypair(who), asm.log, kind=ACT_KINDS[kind_name], values=values, nonce=nonce, vis=vis)
    path, in_path = PATHS[kind_name]
    url = "/api" + path.replace("{log}", asm.log)
    for name in in_path:
        url = url.replace("{" + name + "}", str(values[name]))
    payload = {k: v for k, v in values.items() if k not in in_path}
    body = {**payload, "author": act.act.author, "nonce": nonce, "asig": act.asig, "vis": vis}
    response = asm.client.post(url, body, content_type="application/json")
    if ACT_KINDS[kind_name].waits:  # an application waits outside the record until taken in
        assert response.status_code == 202, response.json()
        return take_in(asm.log, act.act.author)
    assert response.status_code == 201, response.json()
    return int(response.json()["seq"])


def raw_reads(asm: ApiAssembly, api: list[str], pages: list[str]) -> dict[str, str]:
    """The raw text of API reads (paths under the assembly) and pages (paths under /en/assembly/<log>)."""
    found = {}
    for path in api:
        response = asm.get(path)
        assert response.status_code == 200, (path, response.content)
        found[f"api{path}"] = response.content.decode()
    for path in pages:
        response = asm.client.get(f"/en/assembly/{asm.log}{path}")
        assert response.status_code == 200, (path, response.content[:300])
        found[f"page{path}"] = response.content.decode()
    return found


def leaks(answers: dict[str, str], marker: str) -> list[str]:
    return [where for where, text in answers.items() if marker in text]


@pytest.fixture
def meeting(assembly: ApiAssembly) -> int:
    """An open public meeting chaired by ana, with ana, bea and carla present."""
    seq = assembly.ok("ana", "convene", title="Asamblea de junio", starts=1_764_000_100_000)
    for who in ("ana", "bea", "carla"):
        assembly.ok(who, "sign-presence", meeting=seq)
    return seq


def test_an_objections_members_only_answer_is_hidden_under_a_public_objection(
    assembly: ApiAssembly, meeting: int
) -> None:
    # given a public proposal in the meeting, a public objection, and an answer signed for members only
    proposal = assembly.ok("ana", "table", matter="ordinary", title="Agua", text="Turnos", meeting=meeting)
    objection = assembly.ok("carla", "object", proposal=proposal, reason="Falta el horario")
    marker = "RESPUESTA-RESERVADA-71"
    signed(
        assembly,
        "bea",
        "answer-objection",
        vis="members",
        proposal=proposal,
        objection=objection,
        answer=marker,
    )
    api = ["/proposals", f"/proposals/{proposal}", f"/meetings/{meeting}/minutes"]
    pages = [f"/proposals/{proposal}/", f"/meetings/{meeting}/minutes/"]
    # when an outsider reads everything, then a member does
    outside = raw_reads(assembly, api, pages)
    described = assembly.get(f"/proposals/{proposal}").json()
    log_in(assembly.client, assembly.log, "carla")
    inside = raw_reads(assembly, api, pages)
    # then the outsider sees the public objection with its answer withheld; the member sees the answer
    assert leaks(outside, marker) == []
    [shown] = described["objections"]
    assert (shown["reason"], shown["answer"], shown["members_only"]) == ("Falta el horario", None, True)
    assert "Falta el horario" in outside[f"page/proposals/{proposal}/"]
    assert "data-ayllu-members-only" in outside[f"page/proposals/{proposal}/"]
    assert leaks(inside, marker) == list(inside)


def test_a_points_members_only_ruling_is_hidden_under_a_public_point(
    assembly: ApiAssembly, meeting: int
) -> None:
    # given a public point of order and the chair's ruling signed for members only
    point = assembly.ok("bea", "raise-point", meeting=meeting, text="Se pide orden")
    marker = "FALLO-RESERVADO-72"
    signed(assembly, "ana", "rule-point", vis="members", meeting=meeting, point=point, ruling=marker)
    api = ["/meetings", f"/meetings/{meeting}", f"/meetings/{meeting}/minutes"]
    pages = [f"/meetings/{meeting}/", f"/meetings/{meeting}/live/", f"/meetings/{meeting}/minutes/"]
    # when an outsider reads everything, then a member does
    outside = raw_reads(assembly, api, pages)
    described = assembly.get(f"/meetings/{meeting}").json()
    log_in(assembly.client, assembly.log, "bea")
    inside = raw_reads(assembly, api, pages)
    # then only the member reads the ruling; the outsider reads the point and that it was ruled
    assert leaks(outside, marker) == []
    [shown] = described["points_of_order"]
    assert (shown["text"], shown["ruling"], shown["members_only"]) == ("Se pide orden", None, True)
    assert "waiting for the chair" not in outside[f"page/meetings/{meeting}/"]
    assert leaks(inside, marker) == list(inside)


def test_a_members_only_ballots_choice_and_the_counts_made_from_it_are_hidden(
    assembly: ApiAssembly,
) -> None:
    # given a public choice among options, two public ballots and one signed for members only
    proposal = assembly.ok(
        "ana", "table", matter="choice", title="Color", text="Pintar", options=["Rojo", "Verde", "Azul"]
    )
    question = assembly.ok("ana", "open-question", proposal=proposal, deadline=LATER)
    assembly.ok("ana", "vote", question=question, choice=["Rojo", "Verde", "Azul"])
    assembly.ok("bea", "vote", question=question, choice=["Rojo", "Azul", "Verde"])
    signed(assembly, "carla", "vote", vis="members", question=question, choice=["Azul", "Verde", "Rojo"])
    marker = "Azul \u203a Verde \u203a Rojo"  # how the proposal's page writes carla's ranking
    api = [f"/proposals/{proposal}", f"/questions/{question}", "/questions"]
    pages = [f"/proposals/{proposal}/"]
    # when an outsider and a member read the open question
    outside = raw_reads(assembly, api, pages)
    ballots = assembly.get(f"/questions/{question}").json()["ballots"]
    log_in(assembly.client, assembly.log, "bea")
    inside = raw_reads(assembly, api, pages)
    # then the outsider sees that carla voted, not how
    assert leaks(outside, marker) == []
    assert ballots[keypair("carla").public] is None
    assert ballots[keypair("ana").public] == ["Rojo", "Verde", "Azul"]
    assert marker in inside[f"page/proposals/{proposal}/"]
    # and once closed, the result is public but the counts (which would give carla's ballot away) are not
    assembly.client.cookies.clear()
    assembly.ok("ana", "close-question", question=question)
    outcome = assembly.get(f"/questions/{question}").json()["outcome"]
    assert outcome["result"] == "elected" and outcome["winners"] == ["Rojo"]
    assert outcome["tallies"] is None and outcome["pairwise"] is None
    log_in(assembly.client, assembly.log, "bea")
    assert assembly.get(f"/questions/{question}").json()["outcome"]["pairwise"]["Azul"]["Rojo"] == 1


def test_who_stood_aside_in_a_members_only_ballot_is_not_named_by_the_outcome(api: Client) -> None:
    # given an assembly deciding ordinary matters by consensus, and carla standing aside for members only
    charter = instant_charter()
    charter["methods"] = {**charter["methods"], "ordinary": {"method": "consensus"}}
    asm = ApiAssembly.found(api, ["ana", "bea", "carla"], charter=charter)
    proposal = asm.ok("ana", "table", matter="ordinary", title="Agua", text="Turnos")
    question = asm.ok("ana", "open-question", proposal=proposal, deadline=LATER)
    asm.ok("ana", "vote", question=question, choice="agree")
    asm.ok("bea", "vote", question=question, choice="agree")
    signed(asm, "carla", "vote", vis="members", question=question, choice="stand_aside")
    asm.ok("ana", "close-question", question=question)
    # when an outsider and a member read the question
    outside = asm.get(f"/questions/{question}").json()
    log_in(asm.client, asm.log, "bea")
    inside = asm.get(f"/questions/{question}").json()
    # then the outsider reads the result, not who stood aside nor the counts; the member reads both
    assert outside["outcome"]["result"] == "passed"
    assert (outside["outcome"]["stood_aside"], outside["outcome"]["tallies"]) == (None, None)
    assert inside["outcome"]["stood_aside"] == [keypair("carla").public]


def test_a_members_only_amendment_accepted_into_a_public_proposal_hides_its_new_words(
    assembly: ApiAssembly,
) -> None:
    # given a public proposal whose author accepts an amendment signed for members only, then decides it
    proposal = assembly.ok("ana", "table", matter="ordinary", title="Agua", text="Turnos de riego")
    title, text = "TITULO-RESERVADO-73", "TEXTO-RESERVADO-73"
    amendment = signed(assembly, "bea", "amend", vis="members", proposal=proposal, title=title, text=text)
    assembly.ok("ana", "accept-amendment", proposal=proposal, amendment=amendment)
    question = assembly.ok("ana", "open-question", proposal=proposal, deadline=LATER)
    for who in ("ana", "bea", "carla"):
        assembly.ok(who, "vote", question=question, choice="consent")
    assembly.ok("ana", "close-question", question=question)
    api = ["/proposals", f"/proposals/{proposal}"]
    pages = [
        "/",
        "/proposals/",
        f"/proposals/{proposal}/",
        "/record/decisions/",
        f"/record/decisions/{question}/",
    ]
    # when an outsider reads everything, then a member does
    outside = raw_reads(assembly, api, pages)
    described = assembly.get(f"/proposals/{proposal}").json()
    log_in(assembly.client, assembly.log, "carla")
    inside = raw_reads(assembly, api, pages)
    # then the proposal exists, decided, without the amended words for the outsider
    assert leaks(outside, title) == [] and leaks(outside, text) == []
    assert (described["title"], described["text"], described["members_only"]) == (None, None, True)
    assert described["status"] == "adopted"
    assert leaks(inside, title) == [f"api{p}" for p in api] + [f"page{p}" for p in pages if p != "/"]
    assert leaks(inside, text) == [f"api{p}" for p in api] + [f"page/proposals/{proposal}/"]


def test_a_household_written_in_a_confidential_body_is_shown_to_nobody(assembly: ApiAssembly) -> None:
    # given dora applying with her household in a confidential body, and admitted by sponsorship
    household = "casa-confidencial-74"
    signed(assembly, "dora", "apply", vis="confidential", household=household)
    pages = ["/members/", "/proposals/new/admission/"]
    waiting = raw_reads(assembly, ["/members"], pages)
    log_in(assembly.client, assembly.log, "carla")
    waiting_member = raw_reads(assembly, ["/members"], pages)
    assembly.ok("carla", "sponsor", applicant=keypair("dora").public)
    # when a plain member reads the members, and a node a member delegated asks /fed/ for the bodies
    admitted_member = raw_reads(assembly, ["/members"], ["/members/"])
    listed = assembly.get("/members").json()
    log_in(assembly.client, assembly.log, "dora")
    herself = raw_reads(assembly, ["/members"], ["/", "/members/"])
    assembly.client.cookies.clear()
    admitted = raw_reads(assembly, ["/members"], ["/members/"])
    # then nobody reads the household on a page or in the API, members (dora too) included
    for answers in (waiting, waiting_member, admitted_member, herself, admitted):
        assert leaks(answers, household) == []
    dora = next(m for m in listed["members"] if m["id"] == keypair("dora").public)
    assert dora["household"] is None


def test_no_body_under_fed_carries_a_household_written_in_a_confidential_body(assembly: ApiAssembly) -> None:
    # given dora applying into a new household: its opaque id is rule data, its name words (confidential)
    household = "casa-confidencial-74"
    fresh = new_household_id()
    signed(assembly, "dora", "apply", vis="confidential", household=fresh, household_name=household)
    # when anyone, and a node a member delegated, ask /fed/ for the bodies
    bodies = fed_bodies(assembly.client, assembly.log, delegated_by="ana")
    # then no body carries it
    assert household not in bodies["public"] and household not in bodies["members"]


def test_a_household_named_in_a_members_only_application_is_shown_to_members_and_served_to_nobody(
    assembly: ApiAssembly,
) -> None:
    # given dora applying for members only into a new household, and eva into ana's, both admitted
    name = "casa-reservada-75"
    household = new_household_id()
    signed(assembly, "dora", "apply", vis="members", household=household, household_name=name)
    ana = assembly.get("/members").json()
    ana_household = next(m["household"] for m in ana["members"] if m["id"] == keypair("ana").public)
    signed(assembly, "eva", "apply", vis="members", household=ana_household)
    for who in ("dora", "eva"):
        assembly.ok("carla", "sponsor", applicant=keypair(who).public)
    # when /fed/ serves the record, an outsider reads the members, and a member does
    bodies = fed_bodies(assembly.client, assembly.log, delegated_by="ana")
    outside = raw_reads(assembly, ["/members"], ["/members/"])
    log_in(assembly.client, assembly.log, "carla")
    inside = raw_reads(assembly, ["/members"], ["/members/"])
    listed = assembly.get("/members").json()
    # then the name travels only as members' words (to a node a member delegated), never to anyone else
    assert name not in bodies["public"] and household in bodies["public"]
    assert '{\\"household_name\\":\\"casa-reservada-75\\"}' in bodies["members"]
    assert leaks(outside, name) == []
    # and members read the name on the page and in the API, next to the id the rules compare
    assert leaks(inside, name) == ["api/members", "page/members/"]
    dora = next(m for m in listed["members"] if m["id"] == keypair("dora").public)
    assert (dora["household"], dora["household_name"]) == (household, name)
    # and eva counts in ana's household: one household, two members
    eva = next(m for m in listed["members"] if m["id"] == keypair("eva").public)
    assert eva["household"] == ana_household
    shared = next(h for h in listed["households"] if h["id"] == ana_household)
    assert {keypair("ana").public, keypair("eva").public} <= set(shared["members"])


def fed_bodies(client: Client, log: str, *, delegated_by: str) -> dict[str, str]:
    """The raw /fed/ bodies of the whole record, asked by anyone and by a node `delegated_by` delegated."""
    size = json.loads(client.get(f"/api/assemblies/{log}").content)["size"]
    path = f"/fed/{log}/bodies/?from=1&to={size}"
    public = client.get(path)
    node = keypair("node-of-" + delegated_by)
    now = int(time.time() * 1000)
    delegation = delegate_node(keypair(delegated_by), log=log, node=node.public, until=now + 86_400_000).raw
    headers = {
        "Ayllu-Node": node.public,
        "Ayllu-Time": str(now),
        "Ayllu-Signature": sign_request(node, method="GET", path=path, time=now),
        "Ayllu-Delegation": delegation.decode(),
    }
    members = client.get(path, headers=headers)
    assert (public.status_code, members.status_code) == (200, 200), members.content
    return {"public": public.content.decode(), "members": members.content.decode()}


def unwrapped(data: Any, words: set[str], where: str = "") -> list[str]:
    """Where a string of `words` sits in `data` outside a `Said` (so no reader's view would hide it)."""
    if isinstance(data, Said):
        return []
    if isinstance(data, ReadModel):
        fields = dataclasses.fields(cast(Any, data))
        return [p for f in fields for p in unwrapped(getattr(data, f.name), words, f"{where}.{f.name}")]
    if isinstance(data, dict):
        found = [f"{where}.{k}" for k in data if isinstance(k, str) and k in words]
        return found + [p for k, v in data.items() for p in unwrapped(v, words, f"{where}.{k}")]
    if isinstance(data, list | tuple):
        return [p for i, v in enumerate(data) for p in unwrapped(v, words, f"{where}[{i}]")]
    return [where] if isinstance(data, str) and data in words else []


def test_every_word_a_read_returns_is_wrapped_with_the_acts_that_wrote_it(
    assembly: ApiAssembly, meeting: int
) -> None:
    # given a record where every kind of act that writes words has written some
    words = {
        "Orden del dia",
        "Punto uno",
        "Fallo uno",
        "Nota uno",
        "Titulo uno",
        "Texto uno",
        "Titulo dos",
        "Texto dos",
        "Razon uno",
        "Respuesta uno",
        "Comentario uno",
        "Opcion uno",
        "Opcion dos",
        "Pedido uno",
        "casa-nueva-75",
    }
    assembly.ok("ana", "add-agenda-item", meeting=meeting, kind="discussion", title="Orden del dia")
    point = assembly.ok("bea", "raise-point", meeting=meeting, text="Punto uno")
    assembly.ok("ana", "rule-point", meeting=meeting, point=point, ruling="Fallo uno")
    assembly.ok("bea", "add-note", meeting=meeting, text="Nota uno")
    proposal = assembly.ok(
        "ana", "table", matter="ordinary", title="Titulo uno", text="Texto uno", meeting=meeting
    )
    amendment = assembly.ok("bea", "amend", proposal=proposal, title="Titulo dos", text="Texto dos")
    assembly.ok("ana", "accept-amendment", proposal=proposal, amendment=amendment)
    objection = assembly.ok("carla", "object", proposal=proposal, reason="Razon uno")
    assembly.ok("bea", "answer-objection", proposal=proposal, objection=objection, answer="Respuesta uno")
    assembly.ok("bea", "comment", proposal=proposal, text="Comentario uno")
    choice = assembly.ok(
        "ana", "table", matter="choice", title="Titulo uno", text="", options=["Opcion uno", "Opcion dos"]
    )
    question = assembly.ok("ana", "open-question", proposal=choice, deadline=LATER)
    for who in ("ana", "bea", "carla"):
        assembly.ok(who, "vote", question=question, choice=["Opcion dos", "Opcion uno"])
    assembly.ok("ana", "close-question", question=question)
    assembly.ok("bea", "petition", purpose="Pedido uno")
    assembly.ok("dora", "apply", household="casa-nueva-75")
    log, now = assembly.log, int(time.time() * 1000)
    # when every read the API and the pages show words from is asked, before any reader's view
    reads = {
        "proposals": q.list_proposals(log),
        "proposal": q.get_proposal(log, proposal),
        "questions": q.list_questions(log),
        "meetings": q.list_meetings(log),
        "minutes": q.get_meeting_minutes(log, meeting),
        "applicants and claims": {
            "applicants": q.list_members(log).applicants,
            "key_claims": q.list_members(log).key_claims,
        },
        "home": page_reads.get_member_home(log, member=keypair("ana").public, now=now),
        "charter versions": page_reads.list_charter_versions(log),
        "business": page_reads.get_meeting_business(log, meeting),
        "subjects": page_reads.list_matter_subjects(log, matter="admission", now=now),
        "petitions": page_reads.list_petitions(log),
        "agenda proposals": page_reads.list_agenda_proposals(log),
        "decisions": proofs.list_decisions(log),
    }
    # then no word sits outside a Said: a field added later without one fails here
    assert {name: unwrapped(read, words) for name, read in reads.items() if unwrapped(read, words)} == {}
    assert "Respuesta uno" in json.dumps(dataclasses.asdict(shown_to(reads["proposal"], frozenset())))
