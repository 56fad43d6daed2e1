"""Every route of the node, as every kind of visitor, against the written policy in docs/access-policy.md.

The routes come from the URL resolver itself, so a new route without a row in the policy fails here, and
so does a row for a route that no longer exists. Each route is asked with GET and with POST as:
an outsider (no session), a member of the assembly, the holder of a cargo in it (its convenor), and a
member of another assembly (logged in there). POSTs carry one probe: a notice signed by the visitor's own
key for the assembly, which only the routes that take a signed act understand.

Run with AYLLU_WRITE_ACCESS_POLICY=1 to write what the node answers now into the doc's table (then read
the diff: the doc is the policy, the node must follow it, not the other way round).
"""

import itertools
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import translation

from ayllu.actions.record import forget_replayed_state
from ayllu.core.ledger.keys import Keypair
from ayllu.core.ledger.record import make_body, sign_act
from ayllu.storage.models import RateCounter
from ayllu.web import auth
from ayllu.web.views_invitations import make_invitation_token
from factories.keys import keypair
from factories.scenes import consent_decided_with_answered_objection, meeting_with_everyone
from factories.stored import found_with_officers, log_in_as

DOC = Path(__file__).resolve().parents[2] / "docs" / "access-policy.md"
BEGIN, END = "<!-- policy table: begin -->", "<!-- policy table: end -->"
ROLES = ("outsider", "member", "cargo", "other")
METHODS = ("GET", "POST")
_nonces = itertools.count(1)


def iter_routes(patterns: list[Any] | None = None, prefix: str = "") -> Iterator[str]:
    """Every route of the node as its pattern text (pages in their English form)."""
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            yield from iter_routes(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern)


def node_routes() -> list[str]:
    with translation.override("en"):
        return sorted(set(iter_routes()))


def read_policy() -> dict[tuple[str, str], dict[str, str]]:
    """The doc's table: (method, route) -> {role: expected answer}."""
    text = DOC.read_text(encoding="utf-8")
    table = text[text.index(BEGIN) + len(BEGIN) : text.index(END)]
    policy: dict[tuple[str, str], dict[str, str]] = {}
    for line in table.splitlines():
        cells = [c.strip().strip("`") for c in line.strip().strip("|").split("|")]
        if len(cells) != 2 + len(ROLES) or cells[0] not in METHODS:
            continue
        policy[(cells[0], cells[1])] = dict(zip(ROLES, cells[2:], strict=True))
    return policy


class Scene:
    """Assembly A (its convenor holds a cargo) with a decided proposal; assembly B for the stranger."""

    def __init__(self) -> None:
        self.a = found_with_officers("Junta Vecinal Villa Esperanza")
        self.meeting = meeting_with_everyone(self.a)
        self.ids = consent_decided_with_answered_objection(self.a, self.meeting)
        self.b = found_with_officers("Sindicato del Mercado", seed=40)
        self.outsider_key = keypair(99)
        self.keys = {
            "outsider": self.outsider_key,
            "member": self.a.members[2],
            "cargo": self.a.convenor,
            "other": self.b.members[0],
        }
        self.clients: dict[str, Client] = {}
        for role in ROLES:
            self.login(role)

    def login(self, role: str) -> None:
        RateCounter.objects.all().delete()  # login rate limits: the walk logs in again after each logout
        client = Client()
        if role in ("member", "cargo"):
            log_in_as(client, self.a.log, self.keys[role])
        elif role == "other":
            log_in_as(client, self.b.log, self.keys[role])
        self.clients[role] = client

    def url(self, route: str) -> str:
        values = {
            "log": self.a.log,
            "meeting_id": self.meeting,
            "meeting": self.meeting,
            "proposal_id": self.ids["proposal"],
            "proposal": self.ids["proposal"],
            "question_id": self.ids["question"],
            "question": self.ids["question"],
            "objection": self.ids["objection"],
            "token": make_invitation_token(log=self.a.log, inviter=self.a.members[1].public),
            "household": "casa-1",
            "member": self.a.members[0].public,
            "applicant": self.outsider_key.public,
            "key": self.outsider_key.public,
            "cargo": "convenor",
            "matter": "suspension",
            "size": 1,
        }

        def fill(match: re.Match[str]) -> str:
            return str(values.get(match.group(1), 1))

        return "/" + re.sub(r"<(?:\w+:)?(\w+)>", fill, route)

    def probe(self, role: str) -> str:
        """A notice signed by the visitor's own key for assembly A."""
        body = make_body({"text": "probe"}, vis="public")
        key: Keypair = self.keys[role]
        signed = sign_act(key, log=self.a.log, type="notice.posted", body=body, nonce=f"probe{next(_nonces)}")
        return json.dumps({"act": signed.act.as_json(), "body": body.raw.decode(), "asig": signed.asig})

    def ask(self, method: str, route: str, role: str) -> str:
        client = self.clients[role]
        url = self.url(route)
        if method == "GET":
            response = client.get(url)
        else:
            response = client.post(url, self.probe(role), content_type="application/json")
        answer = str(response.status_code)
        if response.status_code == 302:
            answer += " login" if "/login/" in response["Location"] else ""
        if role != "outsider" and auth.SESSION_KEY not in client.session:
            self.login(role)  # the walk goes on logged in
        return answer


def observe() -> dict[tuple[str, str], dict[str, str]]:
    forget_replayed_state()
    scene = Scene()
    return {
        (method, route): {role: scene.ask(method, route, role) for role in ROLES}
        for route in node_routes()
        for method in METHODS
    }


def write_policy(observed: dict[tuple[str, str], dict[str, str]]) -> None:
    header = "| method | route | outsider | member | cargo holder | member of another assembly |"
    lines = [header, "|---|---|---|---|---|---|"]
    for (method, route), answers in sorted(observed.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        lines.append(f"| {method} | `{route}` | " + " | ".join(answers[r] for r in ROLES) + " |")
    text = DOC.read_text(encoding="utf-8")
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    DOC.write_text(text[:start] + "\n" + "\n".join(lines) + "\n" + text[end:], encoding="utf-8")


def test_every_route_has_a_policy_row_and_no_row_names_a_missing_route() -> None:
    # given
    routes = {(m, r) for r in node_routes() for m in METHODS}
    # when
    rows = set(read_policy())
    # then
    assert sorted(routes - rows) == [], "routes without a row in docs/access-policy.md"
    assert sorted(rows - routes) == [], "rows in docs/access-policy.md for routes the node does not have"


def test_every_route_answers_every_visitor_as_the_policy_says(db: None) -> None:
    # given
    policy = read_policy()
    # when
    observed = observe()
    if os.environ.get("AYLLU_WRITE_ACCESS_POLICY") == "1":
        write_policy(observed)
    # then
    differences = [
        f"{method} {route} as {role}: policy {policy.get((method, route), {}).get(role)}, node {answer}"
        for (method, route), answers in sorted(observed.items())
        for role, answer in answers.items()
        if policy.get((method, route), {}).get(role) != answer
    ]
    assert differences == []
