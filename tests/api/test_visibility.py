"""Every API read shows members-only words only to this assembly's logged-in members (access-policy.md):
outsiders and members of other assemblies see that the acts exist, never their words."""

import json
from typing import Any

import pytest
from django.test import Client

from ayllu.actions.catalogue import ACT_KINDS, sign_kind
from ayllu.core.ledger.canonical import canonical_bytes
from ayllu.core.ledger.keys import LOGIN_CONTEXT
from factories.api import PATHS, ApiAssembly, take_in
from factories.keys import keypair

SECRETS = (
    "Deuda de la casa 4",
    "Debe 300 soles",
    "Hablemos con la familia",
    "No se sabe el monto",
    "Reunion reservada",
    "Cuenta del banco",
    "familia-quispe",
)


def members_only(asm: ApiAssembly, who: str, kind_name: str, **values: Any) -> int:
    """Sign an act as `who` with a members-only body and post it through its API route; return its seq."""
    nonce = f"mo-{kind_name}-{who}"
    signed, _ = sign_kind(
        keypair(who), asm.log, kind=ACT_KINDS[kind_name], values=values, nonce=nonce, vis="members"
    )
    path, in_path = PATHS[kind_name]
    url = "/api" + path.replace("{log}", asm.log)
    for name in in_path:
        url = url.replace("{" + name + "}", str(values[name]))
    payload = {k: v for k, v in values.items() if k not in in_path}
    body = {**payload, "author": signed.act.author, "nonce": nonce, "asig": signed.asig, "vis": "members"}
    response = asm.client.post(url, body, content_type="application/json")
    if ACT_KINDS[kind_name].waits:  # an application waits outside the record until taken in
        assert response.status_code == 202, response.json()
        return take_in(asm.log, signed.act.author)
    assert response.status_code == 201, response.json()
    return int(response.json()["seq"])


def log_in(client: Client, log: str, who: str) -> None:
    """Log in to `log` with test key `who` through the device login (the web's session)."""
    issued = client.post(f"/en/assembly/{log}/login/challenge/").json()
    statement = {name: issued[name] for name in ("v", "node", "log", "challenge", "origin")}
    key = keypair(who)
    payload = {
        "key": key.public,
        "challenge": issued["challenge"],
        "signature": key.sign(LOGIN_CONTEXT, canonical_bytes(statement)),
    }
    response = client.post(f"/en/assembly/{log}/login/", payload, content_type="application/json")
    assert response.status_code == 200, response.content


@pytest.fixture
def private(assembly: ApiAssembly) -> dict[str, int]:
    """A meeting, a note, a proposal, a comment and an objection signed for members only, and an
    application naming its household in a members-only body."""
    meeting = members_only(assembly, "ana", "convene", title="Reunion reservada", starts=1_764_000_100_000)
    members_only(assembly, "bea", "add-note", meeting=meeting, text="Cuenta del banco")
    proposal = members_only(
        assembly, "ana", "table", matter="ordinary", title="Deuda de la casa 4", text="Debe 300 soles"
    )
    members_only(assembly, "bea", "comment", proposal=proposal, text="Hablemos con la familia")
    members_only(assembly, "carla", "object", proposal=proposal, reason="No se sabe el monto")
    members_only(assembly, "dora", "apply", household="familia-quispe")
    return {"meeting": meeting, "proposal": proposal}


def read_everything(asm: ApiAssembly, ids: dict[str, int]) -> dict[str, str]:
    """The text of every read endpoint that could show the acts' words, by path."""
    paths = [
        "/members",
        "/meetings",
        f"/meetings/{ids['meeting']}",
        f"/meetings/{ids['meeting']}/minutes",
        "/proposals",
        f"/proposals/{ids['proposal']}",
        "/questions",
    ]
    answers = {}
    for path in paths:
        response = asm.get(path)
        assert response.status_code == 200, (path, response.content)
        answers[path] = json.dumps(response.json(), ensure_ascii=False)
    return answers


def test_outsiders_see_that_members_only_acts_exist_but_not_their_words(
    assembly: ApiAssembly, private: dict[str, int]
) -> None:
    # given nobody logged in
    # when every read is asked
    answers = read_everything(assembly, private)
    # then no members-only word appears anywhere, and the acts are there, marked
    for path, text in answers.items():
        assert not [s for s in SECRETS if s in text], path
    proposal = assembly.get(f"/proposals/{private['proposal']}").json()
    assert proposal["members_only"] and proposal["title"] is None and proposal["text"] is None
    assert [c["text"] for c in proposal["comments"]] == [None]
    assert [o["reason"] for o in proposal["objections"]] == [None]
    meeting = assembly.get(f"/meetings/{private['meeting']}").json()
    assert meeting["members_only"] and meeting["title"] is None
    assert [a["household"] for a in assembly.get("/members").json()["applicants"]] == [None]


def test_a_member_logged_in_reads_every_members_only_word(
    assembly: ApiAssembly, private: dict[str, int]
) -> None:
    # given carla logged in to this assembly from her device
    log_in(assembly.client, assembly.log, "carla")
    # when every read is asked
    text = " ".join(read_everything(assembly, private).values())
    # then every members-only word is there
    assert [s for s in SECRETS if s not in text] == []
    assert not assembly.get(f"/proposals/{private['proposal']}").json()["members_only"]


def test_a_member_of_another_assembly_is_an_outsider_here(
    assembly: ApiAssembly, private: dict[str, int]
) -> None:
    # given a member of another assembly on this node, logged in there
    other = ApiAssembly.found(assembly.client, ["eva", "flor"], name="Sindicato")
    log_in(assembly.client, other.log, "eva")
    # when every read of this assembly is asked
    answers = read_everything(assembly, private)
    # then none shows a members-only word
    for path, text in answers.items():
        assert not [s for s in SECRETS if s in text], path


def test_confidential_words_are_shown_to_nobody(assembly: ApiAssembly) -> None:
    # given a comment signed as confidential on a public proposal, and a member logged in
    proposal = assembly.ok("ana", "table", matter="ordinary", title="Agua", text="Turnos")
    nonce = "conf-1"
    kind = ACT_KINDS["comment"]
    values = {"proposal": proposal, "text": "Caso de mediacion"}
    signed, _ = sign_kind(
        keypair("bea"), assembly.log, kind=kind, values=values, nonce=nonce, vis="confidential"
    )
    url = "/api" + PATHS["comment"][0].replace("{log}", assembly.log).replace("{proposal}", str(proposal))
    body = {"text": values["text"], "author": signed.act.author, "nonce": nonce, "asig": signed.asig}
    posted = assembly.client.post(url, {**body, "vis": "confidential"}, content_type="application/json")
    assert posted.status_code == 201, posted.json()
    log_in(assembly.client, assembly.log, "carla")
    # when the member reads the proposal through the API and on its page
    described = assembly.get(f"/proposals/{proposal}").json()
    page = assembly.client.get(f"/en/assembly/{assembly.log}/proposals/{proposal}/").content.decode()
    # then the comment exists, without its words
    assert described["title"] == "Agua"
    assert [(c["text"], c["members_only"]) for c in described["comments"]] == [(None, True)]
    assert "Agua" in page and "Caso de mediacion" not in page and "(members only)" in page
