"""Every page of the demo assembly answers, to a visitor and to the demo household: the story's year
(every decision method, turns, a mandate, a recall, a draw, an amendment) renders in both languages."""

import re
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client

from ayllu.actions.record import forget_replayed_state
from ayllu.cli.demo_story import EVERYONE, VISITOR, Story, write_story
from ayllu.core.assembly.acts import ACT_KINDS
from ayllu.core.assembly.allowed import refusal
from ayllu.core.errors import DomainError
from ayllu.queries.replayed import read_state
from ayllu.settings import dev
from factories.keys import keypair
from factories.stored import log_in_as

from .test_form_walk import act_forms, body_of

NOW = 1_796_000_000_000
NOT_PAGES = (".json", ".jsonl", ".gz", ".pdf")  # files to download, not pages to walk


@pytest.fixture
def story(db: None) -> Story:
    forget_replayed_state()
    return write_story({name: keypair(name, family="demo") for name in EVERYONE}, now=NOW)


def _links(html: str, prefix: str) -> set[str]:
    return {link for link in re.findall(r'href="([^"#?]+)"', html) if link.startswith(prefix)}


@pytest.mark.slow  # walking every page of a year of history takes a while; `make test` and CI run it
def test_every_page_of_the_demo_answers_a_visitor_and_the_demo_household(
    story: Story, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given the demo assembly, its pages read at the story's end
    monkeypatch.setattr("ayllu.storage.clock.now_ms", lambda: NOW)
    visitor, member = Client(), Client()
    log_in_as(member, story.log, story.keys[VISITOR])
    for client, language in ((visitor, "es"), (member, "en")):
        base = f"/{language}/{'asamblea' if language == 'es' else 'assembly'}/{story.log}/"
        seen: set[str] = set()
        waiting = [base]
        # when the reader follows every link inside the assembly (exports, evidence files, the PDF book aside)
        while waiting:
            address = waiting.pop()
            if address in seen or address.endswith(NOT_PAGES) or "/export/" in address:
                continue
            seen.add(address)
            response = client.get(address)
            # then every page answers
            assert response.status_code == 200, address
            if not response.streaming:
                html = response.content.decode()
                waiting.extend(_links(html, base) - seen)
                # and its title is words only (no page content fell into the title block)
                title = re.search(r"<title>(.*?)</title>", html, re.S)
                assert title is None or ("<" not in title[1] and len(title[1]) < 200), address
        # and the walk met the pages of each part of the story
        assert len(seen) > 30
        assert any("/draws/" in s or "/sorteos/" in s for s in seen if s[-2] != "s")


def test_the_demo_node_offers_the_visitor_key_the_story_writes() -> None:
    # given the demo node's settings and the story's visitor
    offered = dev.AYLLU_DEMO_VISITOR_KEY_FILE
    # then the key file the demo page offers is the one demo-setup writes for the visitor
    assert offered is not None and offered.name == f"{VISITOR}.key" and offered.parent.name == "demo-members"
    assert django_settings.AYLLU_DEMO_VISITOR_KEY_FILE is None  # not on a node run with other settings


# Refusals that depend on words the member types, not on what the page decided to offer: a delegate's vote
# names the question in free text, so a sample question has no mandate (a choice replaces it, issue 13).
TYPED = {("delegate.voted", "no_mandate")}


@pytest.mark.slow  # walking every page as four members takes a while; `make test` and CI run it
def test_every_form_the_demo_offers_its_members_is_one_the_core_accepts(
    story: Story, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given the demo at the story's end, read by the visitor and by holders of the council's cargos
    monkeypatch.setattr("ayllu.storage.clock.now_ms", lambda: NOW)
    readers = {VISITOR, story.holder("convenor"), story.holder("delegacion"), story.holder("vocalia")}
    offered: set[str] = set()
    refusals = []
    for name in sorted(readers):
        client = Client()
        log_in_as(client, story.log, story.keys[name])
        base = f"/en/assembly/{story.log}/"
        seen: set[str] = set()
        waiting = [base]
        while waiting:
            address = waiting.pop()
            if address in seen or address.endswith(NOT_PAGES) or "/export/" in address:
                continue
            seen.add(address)
            response = client.get(address)
            if response.streaming:
                continue
            page = response.content.decode()
            waiting.extend(_links(page, base) - seen)
            # when each act form of the page is filled as a member would (forms whose body the page's
            # script assembles from several fields are walked by their own tests)
            for form in act_forms(page):
                if form["script_built"]:
                    continue
                offered.add(form["type"])
                code = _refused(story, name, form)
                if code and (form["type"], code) not in TYPED:
                    refusals.append((name, address.removeprefix(base), form["type"], code))
    # then the core accepts every one of them, and the walk met the council's everyday acts
    assert refusals == []
    assert {"vote.cast", "comment.posted", "notice.posted", "member.left", "member.key_rotated"} <= offered


def _refused(story: Story, name: str, form: dict[str, Any]) -> str:
    body = body_of(form)
    for field in form["fields"]:
        if field.get("pattern") == "[0-9a-f]{64}" and field.get("name", "").startswith("body."):
            body[field["name"].removeprefix("body.")] = "ab" * 32
    try:
        act = ACT_KINDS[form["type"]].parse(body)
    except DomainError as error:
        return error.code
    error = read_state(story.log, lambda state: refusal(state, key=story.pub(name), act=act, time=NOW))
    return "" if error is None else error.code
