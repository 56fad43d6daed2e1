"""The `act_form` tag's effect option: a form that tables a proposal whose effect cargos.js writes, and
that goes to the new proposal's page once recorded (templates/web/cargos/*.html)."""

from django.template import engines
from django.urls import reverse

LOG = "ab" * 32


def _render(source: str) -> str:
    template = engines["django"].from_string("{% load i18n acts %}" + source)
    return template.render({"log": LOG, "here": "/here/"})


def test_an_effect_form_goes_to_the_new_proposal_and_carries_the_fields_cargos_js_fills() -> None:
    # when
    html = _render(
        '{% act_form "proposal.tabled" body.matter="mandate" effect=True button="Table" %}'
        '<input data-ayllu-effect="question">{% endact_form %}'
    )
    # then
    goto = reverse("web:proposal", kwargs={"log": LOG, "proposal_id": 0})
    assert f'data-ayllu-goto="{goto}" data-ayllu-effect-form' in html
    assert "data-next" not in html
    assert '<input type="hidden" name="body.matter" value="mandate">' in html
    assert '<input type="hidden" name="body.effect" value="{}" data-ayllu-kind="json">' in html
    assert '<input type="hidden" name="body.title" value="" data-ayllu-title-field>' in html


def test_a_form_without_the_effect_option_goes_to_its_next_page() -> None:
    # when
    html = _render('{% act_button "notice.posted" button="Post" %}')
    # then
    assert 'data-next="/here/"' in html
    assert "data-ayllu-goto" not in html and "body.effect" not in html
