"""Every form the proposal pages offer, to every reader of the web test scene, makes an act the core accepts.

The walk reads each page as an outsider and as each member, builds the body each act form would submit
(as static/web/js/act-form.js and assembly.js build it, with a sample where the member types words), and
asks the core whether that act, signed by the reader now, would be accepted.
"""

import json
import re
from html.parser import HTMLParser
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import translation

from ayllu.core.assembly.acts import ACT_KINDS
from ayllu.core.assembly.allowed import refusal
from ayllu.core.charter.households import new_household_id
from ayllu.core.ledger.keys import Keypair
from ayllu.queries.replayed import forget_replayed_reads, read_state
from ayllu.storage.clock import now_ms
from ayllu.web.views_proposals import MATTER_FORMS
from factories.stored import act, log_in_as

from .test_assembly_pages import Scene, scene  # noqa: F401  (the scene fixture)

SAMPLE = "Una muestra"


class _Forms(HTMLParser):
    """The act forms of a page: their act type and fields, as a browser would read them."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []
        self._form: dict[str, Any] | None = None
        self._text: dict[str, Any] | None = None
        self._select: dict[str, Any] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if tag == "form" and "data-type" in found:
            self._form = {
                "type": found["data-type"],
                "nonce": found.get("data-nonce", ""),
                "effect": "data-ayllu-effect" in found,
                # cargos.js assembles such a form's effect from fields that are not named body.<field>
                "script_built": "data-ayllu-effect-form" in found,
                "fields": [],
            }
        elif self._form is None:
            return
        elif tag == "input":
            self._form["fields"].append(found)
        elif tag == "textarea":
            self._text = {**found, "value": ""}
            self._form["fields"].append(self._text)
        elif tag == "select":
            self._select = found
            self._form["fields"].append(found)
        elif tag == "option" and self._select is not None and "value" not in self._select:
            self._select["value"] = found.get("value", "")

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text["value"] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._text = None
        elif tag == "select":
            self._select = None
        elif tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None


def act_forms(html: str) -> list[dict[str, Any]]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


def body_of(form: dict[str, Any]) -> dict[str, Any]:
    """The body the form submits: fields named body.<name>, and effect.<name> merged into the effect."""
    body: dict[str, Any] = {}
    effect: dict[str, Any] = {}
    for field in form["fields"]:
        name = field.get("name", "")
        if "disabled" in field or not name.startswith(("body.", "effect.")):
            continue
        value: Any = field.get("value", "")
        prefix, _, key = name.partition(".")
        if field.get("data-ayllu-kind") == "list":
            # checked boxes and filled fields, each with its data-ayllu-prefix (as the page's scripts do)
            listed = (body if prefix == "body" else effect).setdefault(key, [])
            filled = "checked" in field if field.get("type") == "checkbox" else value != ""
            if filled:
                listed.append(field.get("data-ayllu-prefix", "") + value)
            continue
        if value == "" and "data-ayllu-optional" in field:
            continue
        if value == "" and "required" in field:
            value = SAMPLE
        kind = field.get("data-ayllu-kind", "")
        if kind == "int":
            value = int(value)
        elif kind == "json":
            value = json.loads(value)
        elif kind == "household" and value == "":
            value = new_household_id()  # act-form.js makes a fresh id on the device
        (body if prefix == "body" else effect)[key] = value
    if form["effect"]:
        body["effect"] = {**body.get("effect", {}), **effect}
    return body


def refused(log: str, key: str, form: dict[str, Any]) -> str:
    """Why the core would refuse the form's act signed by `key` now ("" when it would accept it)."""
    found = ACT_KINDS[form["type"]].parse(body_of(form))
    error = read_state(log, lambda state: refusal(state, key=key, act=found, time=now_ms()))
    return "" if error is None else error.code


def _walk_scene(built: Scene) -> list[int]:
    """The scene, with a proposal between meetings too: amended by another member, objected to, and
    with a question open; the proposals' ids."""
    assembly = built.assembly
    a, b, c, _ = assembly.members
    proposal = act(
        assembly, c, "proposal.tabled", {"matter": "ordinary", "title": "Pintar", "text": "", "effect": {}}
    )
    act(assembly, b, "proposal.amended", {"proposal": proposal, "title": "Pintar de azul", "text": "Azul."})
    act(assembly, a, "objection.raised", {"proposal": proposal, "reason": "Es caro."})
    waiting = act(
        assembly, a, "proposal.tabled", {"matter": "ordinary", "title": "Agua", "text": "", "effect": {}}
    )
    act(assembly, b, "objection.raised", {"proposal": waiting, "reason": "No ahora."})
    act(assembly, a, "question.opened", {"proposal": waiting, "deadline": now_ms() + 3_600_000})
    return [built.decided, built.open_proposal, proposal, waiting]


def _pages(built: Scene, proposals: list[int]) -> list[str]:
    log = built.assembly.log
    return [
        *(f"/en/assembly/{log}/proposals/{p}/" for p in proposals),
        f"/en/assembly/{log}/proposals/new/",
        f"/en/assembly/{log}/proposals/new/?meeting={built.meeting}",
        *(_matter_form(log, matter) for matter in MATTER_FORMS),
    ]


def _matter_form(log: str, matter: str) -> str:
    with translation.override("en"):
        return reverse("web:new_matter_proposal", kwargs={"log": log, "matter": matter})


def _read(client: Client, address: str) -> str:
    response = client.get(address)
    assert response.status_code == 200, address
    return response.content.decode()


def test_an_outsider_is_offered_no_act_form(client: Client, scene: Scene) -> None:  # noqa: F811
    # given the scene, read by someone not logged in
    pages = _pages(scene, _walk_scene(scene))
    # then no page offers an act form
    assert {address: act_forms(_read(client, address)) for address in pages} == {p: [] for p in pages}


def test_every_form_offered_to_a_member_is_accepted_by_the_core(scene: Scene) -> None:  # noqa: F811
    # given the scene and its pages
    pages = _pages(scene, _walk_scene(scene))
    log = scene.assembly.log
    offered: dict[str, int] = {}
    refusals = []
    nonces = []
    for member in scene.assembly.members:
        # when each member reads each page
        client = Client()
        log_in_as(client, log, member)
        for address in pages:
            for form in act_forms(_read(client, address)):
                # then the core accepts the act of every form offered
                offered[form["type"]] = offered.get(form["type"], 0) + 1
                nonces.append(form["nonce"])
                code = refused(log, _key(member), form)
                if code:
                    refusals.append((address, _key(member)[:8], form["type"], body_of(form), code))
    assert refusals == []
    # and reading every page as every member left the state every reader shares as a replay gives it
    # (readers may not change the members, proposals, ... it holds: nothing but this test stops them)
    shared = read_state(log, lambda state: state)
    forget_replayed_reads()
    assert read_state(log, lambda state: state) == shared
    # and every form carries a nonce made with the page (back, then submit: the same act), its own
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{22}", nonce) for nonce in nonces), nonces
    assert len(set(nonces)) == len(nonces)
    # and the walk met the proposal pages' forms
    assert set(offered) >= {
        "proposal.tabled",
        "proposal.cosigned",
        "proposal.amended",
        "amendment.accepted",
        "proposal.withdrawn",
        "comment.posted",
        "objection.raised",
        "objection.answered",
        "objection.withdrawn",
        "question.opened",
        "vote.cast",
    }


def _key(member: Keypair) -> str:
    return member.public
