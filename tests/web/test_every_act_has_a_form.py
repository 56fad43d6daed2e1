"""Every act the API accepts has a way in the browser: the catalogue against the pages' act forms.

A page's act form names the record type it posts (`data-type="…"`, the first word of the `act_form` or
`act_button` tag, or `federation_act_form.html` or an include that opens a form with it such as
`proposal_words_form.html`, included `with type="…"`); a proposal's form names its matter (`body.matter`,
a fixed value or the choice of matters the new-proposal page offers). An act kind with no form fails here
until a page offers it, or until it is listed below with the reason it has none yet.
"""

import re
from pathlib import Path

from ayllu.actions.catalogue import ACT_KINDS
from ayllu.web import views_proposals

TEMPLATES = Path(views_proposals.__file__).parent / "templates"
TABLED = "proposal.tabled"

# The catalogue's other ways into a proposal, by the matter each writes.
FORM_MATTERS = {
    "propose-cargo": "cargo_creation",
    "propose-exemption": "exemption",
    "propose-mandate": "mandate",
    "propose-erasure": "erasure",
    "propose-resolution": "resolution",
    "propose-ratification": "ratification",
}

# Kinds with no browser form yet, each with why. Remove a line when its form lands.
WITHOUT_A_FORM: dict[str, str] = {}


def _templates() -> str:
    return "\n".join(path.read_text() for path in sorted(TEMPLATES.rglob("*.html")))


def browser_types() -> set[str]:
    """The record types the templates' act forms post."""
    text = _templates()
    return (
        set(re.findall(r'data-type="([a-z_.]+)"', text))
        | set(re.findall(r'\{% act_(?:form|button) "([a-z_.]+)"', text))
        | set(re.findall(r'_form\.html" with type="([a-z_.]+)"', text))
        | set(re.findall(r'federation_act_form\.html" with [^%]*?\btype="([a-z_.]+)"', text))
    )


def browser_matters() -> set[str]:
    """The matters a proposal form in the browser can table."""
    fixed = set(re.findall(r'(?:name="body\.matter" value|body\.matter)="([a-z_]+)"', _templates()))
    return fixed | set(views_proposals.MATTER_FORMS) | set(views_proposals.TABLED_HERE)


def kinds_without_a_form() -> set[str]:
    types, matters = browser_types(), browser_matters()
    missing = set()
    for name, kind in ACT_KINDS.items():
        if kind.type not in types or (name in FORM_MATTERS and FORM_MATTERS[name] not in matters):
            missing.add(name)
    return missing


def test_the_forms_of_a_proposal_are_each_mapped_to_their_matter() -> None:
    # given the catalogue's ways into a proposal, other than tabling one in general
    forms = {name for name, kind in ACT_KINDS.items() if kind.type == TABLED and name != "table"}
    # then each is mapped to the matter it writes (a new form must be added to FORM_MATTERS)
    assert forms == set(FORM_MATTERS)


def test_every_act_kind_of_the_catalogue_has_a_browser_form() -> None:
    # when the act kinds of the catalogue are looked for among the pages' act forms
    missing = kinds_without_a_form()
    # then only the kinds listed as still without one lack it, and every listed kind really does
    assert missing == set(WITHOUT_A_FORM)
