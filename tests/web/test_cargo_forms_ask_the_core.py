"""Every form the cargo pages offer is one the core would accept: a walk over the pages of the cargo
scene for every member and for nobody logged in, submitting each form's act to the core's own rule
(without applying it). The pages ask the core the same question, so a form is never offered for an act
it would refuse: a second recall petition, a swap for one's own household, a report already filed..."""

import ast
import re
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from ayllu.actions.record import forget_replayed_state
from ayllu.core.assembly import allowed
from ayllu.core.assembly.acts import ACT_KINDS, HEX, INT_ID, NAME, NUMBER, TEXT, TIME, TITLE
from ayllu.core.assembly.state import copy_state
from ayllu.queries.assembly import read_state
from factories.scenes import NAMES, CargoAssembly, Clock, build_scene, clock
from factories.stored import log_in_as

from .test_cargo_pages import page, url

__all__ = ["clock"]  # the fixture, imported for the tests below

# The acts of cargos, mandates, recall and draws whose forms these pages offer (a reveal's secret is
# on the device, made by draw.js: its form is checked by the draw page's own tests).
CARGO_TYPES = {t for t in ACT_KINDS if t.split(".")[0] in {"cargo", "mandate", "delegate", "recall"}}
CARGO_TYPES |= {"draw.committed"}
PAGES = (("cargos",), ("mandates",), ("recall",), ("draws",))
SAMPLES: dict[Any, Any] = {TITLE: "?", TEXT: "?", NAME: "?", NUMBER: 0, TIME: 0, INT_ID: 1, HEX: "0" * 64}
FORM = re.compile(r'<form class="act-form[^>]*data-type="([a-z_.]+)"[^>]*>(.*?)</form>', re.S)
HIDDEN = re.compile(r'<input type="hidden" name="body\.(\w+)" value="([^"]*)"( data-ayllu-kind="int")?>')
SELECT = re.compile(r'<select name="body\.(\w+)">\s*<option value="([^"]*)"')


def offered_acts(html: str) -> list[tuple[str, dict[str, Any]]]:
    """Each cargo form on a page: its act type and the body it would submit, with sample values for
    what a person types."""
    found = []
    for type, inner in FORM.findall(html):
        if type not in CARGO_TYPES:
            continue
        content: dict[str, Any] = {
            name: int(value) if kind else unescape(value) for name, value, kind in HIDDEN.findall(inner)
        }
        content.update({name: unescape(value) for name, value in SELECT.findall(inner)})
        for spec in ACT_KINDS[type].fields():
            if spec.kind is HEX and content.get(spec.name) == "":  # written by draw.js on the device
                content[spec.name] = SAMPLES[HEX]
            if spec.name not in content and spec.required:
                # a delegate without a mandate on a question may abstain on it
                content[spec.name] = "abstain" if spec.name == "choice" else SAMPLES[spec.kind]
        found.append((type, content))
    return found


@pytest.fixture
def scene(db: None, clock: Clock) -> CargoAssembly:
    forget_replayed_state()
    return build_scene(clock)


@pytest.mark.parametrize("reader", [*NAMES, ""])
def test_every_cargo_form_a_page_offers_is_accepted_by_the_core(
    client: Client, scene: CargoAssembly, clock: Clock, reader: str
) -> None:
    # given a reader (a member, or nobody logged in)
    if reader:
        log_in_as(client, scene.log, scene.keys[reader])
    # when every cargo page is read
    offered = []
    for parts in (*PAGES, ("draws", scene.ids["draw"])):
        offered += offered_acts(page(client, url("en", scene.log, *parts)))
    # then nobody logged in is offered no form, and each form offered to a member is accepted now
    if not reader:
        assert offered == []
        return
    state = read_state(scene.log, copy_state)
    refused = []
    for type, content in offered:
        act = ACT_KINDS[type].parse(content)
        refusal = allowed.refusal(state, key=scene.pub(reader), act=act, time=clock.now)
        if refusal is not None:
            refused.append((type, content, refusal.code))
    assert refused == []


def test_the_walk_sees_the_forms_of_each_kind(client: Client, scene: CargoAssembly) -> None:
    # given the delegate, and a member who holds no cargo and has not signed the open recall petition
    delegate, other = scene.holders("delegacion")[0], "eva"
    assert other not in (delegate, *scene.holders("tesoreria"))
    # when each reads the pages
    seen: dict[str, set[str]] = {}
    for name in (delegate, other):
        reader = Client()
        log_in_as(reader, scene.log, scene.keys[name])
        seen[name] = {
            t for parts in PAGES for t, _ in offered_acts(page(reader, url("en", scene.log, *parts)))
        }
    # then the walk above checks real forms: votes and requests for the delegate only, swaps, recall
    assert {"delegate.voted", "mandate.requested"} <= seen[delegate] - seen[other]
    assert {"cargo.swap_proposed", "recall.signed", "delegate.session_held"} <= seen[other]


@pytest.mark.parametrize(
    "module",
    ["views_cargos", "views_draws", "views_mandates", "views_recall", "views_concentration"],
)
def test_cargo_views_read_through_queries_not_the_replayed_state(module: str) -> None:
    # given a cargo view module's imports
    source = Path(__file__).parents[2] / "src" / "ayllu" / "web" / f"{module}.py"
    tree = ast.parse(source.read_text())
    imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    # then it reads the record only through ayllu.queries
    state_readers = {"ayllu.core.assembly.state", "ayllu.core.assembly.replay", "ayllu.core.assembly.reads"}
    assert not imported & state_readers
    assert "ayllu.queries.replayed" not in imported or "read_state" not in source.read_text()
