"""Moving the record to another node from the browser: members endorse on the page, the node keeps
each checked endorsement, and once more than half of the active members endorsed the page offers the
`record.moved` act, whose body carries them (docs/federation.md, section 5)."""

import json
from typing import Any

import pytest
from django.test import Client

from ayllu.actions.record import forget_replayed_state, node_keypair
from ayllu.core.ledger.succession import endorse_move
from ayllu.queries.replayed import read_state
from ayllu.storage import models
from factories.keys import keypair
from factories.records import signed
from factories.stored import StoredAssembly, act, found, log_in_as

from .test_form_walk import act_forms

NEW_NODE = keypair("new-node").public


@pytest.fixture
def assembly(db: None) -> StoredAssembly:
    forget_replayed_state()
    return found("Junta Vecinal", members=3)


def page(log: str, lang: str = "en") -> str:
    return (
        f"/{lang}/assembly/{log}/record/move/" if lang == "en" else f"/es/asamblea/{log}/registro/traslado/"
    )


def head(log: str) -> str:
    return str(models.Record.objects.get(log=log).head_hash)


def endorse(
    client: Client, assembly: StoredAssembly, who: int, *, node: str = NEW_NODE, after: str = ""
) -> Any:
    """Member `who` (an index) logs in and endorses moving the record to `node` after `after` (the head)."""
    member = assembly.members[who]
    log_in_as(client, assembly.log, member)
    after = after or head(assembly.log)
    sig = endorse_move(member, log=assembly.log, node=node, after=after)["sig"]
    payload = {"node": node, "after": after, "sig": sig}
    return client.post(page(assembly.log), payload, content_type="application/json")


def test_a_member_endorses_a_move_and_the_page_counts_it(client: Client, assembly: StoredAssembly) -> None:
    # when
    answer = endorse(client, assembly, 0)
    # then the node keeps it, and the page, in Spanish, counts 1 of the 2 needed and offers no signing yet
    assert answer.status_code == 200, answer.json()
    assert models.MoveEndorsement.objects.filter(log=assembly.log, node=NEW_NODE).count() == 1
    html = client.get(page(assembly.log, "es")).content.decode()
    assert "1 de los 2 respaldos necesarios" in html
    assert "record.moved" not in {f["type"] for f in act_forms(html)}


def test_once_more_than_half_endorsed_a_member_signs_the_move_and_the_record_moves(
    client: Client, assembly: StoredAssembly
) -> None:
    # given two of the three members endorsed
    endorse(client, assembly, 0)
    endorse(client, assembly, 1)
    # when the third reads the page
    log_in_as(client, assembly.log, assembly.members[2])
    html = client.get(page(assembly.log)).content.decode()
    (form,) = [f for f in act_forms(html) if f["type"] == "record.moved"]
    body = json.loads(next(f["value"] for f in form["fields"] if "data-ayllu-body" in f))
    # then the form carries both endorsements, and signing it moves the record (sealed by this node)
    assert (body["node"], body["after"], len(body["endorsements"])) == (NEW_NODE, head(assembly.log), 2)
    act_, body_ = signed(assembly.members[2], log=assembly.log, type="record.moved", content=body)
    assert body_.words is not None
    payload = {
        "act": act_.act.as_json(),
        "body": body_.raw.decode(),
        "words": body_.words.raw.decode(),
        "asig": act_.asig,
    }
    answer = client.post(f"/en/assembly/{assembly.log}/acts/", payload, content_type="application/json")
    assert answer.status_code == 200, answer.json()
    assert read_state(assembly.log, lambda state: state.node) == NEW_NODE


def test_an_endorsement_of_a_place_the_record_has_moved_past_is_refused(
    client: Client, assembly: StoredAssembly
) -> None:
    # given the head an endorsement names, then another entry
    old = head(assembly.log)
    act(assembly, assembly.members[1], "notice.posted", {"text": "hola"})
    # when
    answer = endorse(client, assembly, 0, after=old)
    # then
    assert (answer.status_code, answer.json()["code"]) == (409, "move_head_moved")
    assert not models.MoveEndorsement.objects.filter(log=assembly.log).exists()


def test_an_endorsement_the_member_did_not_sign_is_refused(client: Client, assembly: StoredAssembly) -> None:
    # given member 0 logged in, sending member 1's signature
    log_in_as(client, assembly.log, assembly.members[0])
    after = head(assembly.log)
    sig = endorse_move(assembly.members[1], log=assembly.log, node=NEW_NODE, after=after)["sig"]
    # when
    answer = client.post(
        page(assembly.log), {"node": NEW_NODE, "after": after, "sig": sig}, content_type="application/json"
    )
    # then
    assert (answer.status_code, answer.json()["code"]) == (400, "move_bad_signature")
    assert not models.MoveEndorsement.objects.exists()


def test_moving_to_the_node_that_seals_the_record_is_refused(
    client: Client, assembly: StoredAssembly
) -> None:
    # when
    answer = endorse(client, assembly, 0, node=node_keypair().public)
    # then
    assert (answer.status_code, answer.json()["code"]) == (400, "move_to_same_node")


def test_an_outsider_sees_the_page_and_may_not_endorse(client: Client, assembly: StoredAssembly) -> None:
    # when
    shown = client.get(page(assembly.log))
    answer = client.post(
        page(assembly.log), {"node": NEW_NODE, "after": "", "sig": ""}, content_type="application/json"
    )
    # then
    assert shown.status_code == 200 and "Members log in to endorse a move." in shown.content.decode()
    assert (answer.status_code, answer.json()["code"]) == (403, "login_required")


@pytest.mark.parametrize(
    ("members", "lang", "words"),
    [
        (3, "es", "1 de los 2 respaldos necesarios"),
        (3, "en", "1 of the 2 endorsements needed"),
        (1, "es", "Ya tiene el único respaldo necesario"),
        (1, "en", "Endorsed: the only endorsement needed"),
    ],
)
def test_the_endorsements_are_counted_in_words_that_agree_with_their_number(
    client: Client, db: None, members: int, lang: str, words: str
) -> None:
    # given an assembly of `members` active members, one of whom started a move
    forget_replayed_state()
    assembly = found("Junta Vecinal", members=members)
    endorse(client, assembly, 0)
    # when the page is read
    html = client.get(page(assembly.log, lang)).content.decode()
    # then it counts them in words that agree with the numbers (never "1 respaldo de los 1 necesarios")
    assert words in html, html.split('class="card__meta"')[1:3]
    assert "los 1 " not in html and "the 1 " not in html and "de 1 " not in html
