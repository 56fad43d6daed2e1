"""Every form that posts an act carries a nonce made with the page (the `form_nonce` tag): sent again,
after going back, it is the same act, which the node answers with where the first one landed, marked
`"duplicate": true` (decision 0012), instead of recording it twice (act-form.js then goes on as if it had
just been recorded)."""

import re
from pathlib import Path

from django.test import Client

from ayllu.actions.record import forget_replayed_state
from ayllu.core.ledger.record import sign_act
from ayllu.storage import models
from ayllu.web import views_proposals
from factories.records import act_body
from factories.stored import act, found, log_in_as

TEMPLATES = Path(views_proposals.__file__).parent / "templates"
ACT_FORM = re.compile(r"<form\b[^>]*\bdata-ayllu-act\b[^>]*>")


def test_every_act_form_of_the_templates_carries_a_nonce_made_with_the_page() -> None:
    # given every form marked data-ayllu-act in the templates, the one the act_form tag renders among them
    forms = [
        (path.name, tag)
        for path in sorted(TEMPLATES.rglob("*.html"))
        for tag in ACT_FORM.findall(path.read_text())
    ]
    # then each carries the page's nonce
    assert "act_form.html" in {name for name, _ in forms}
    assert len(forms) > 5
    assert [(name, tag) for name, tag in forms if 'data-nonce="{% form_nonce %}"' not in tag] == []


def test_a_comment_sent_again_with_the_pages_nonce_is_recorded_once(client: Client, db: None) -> None:
    # given a proposal, and the nonce of the comment form a member's page carries
    forget_replayed_state()
    assembly = found("Junta Vecinal", members=3)
    member = assembly.members[1]
    content = {"matter": "ordinary", "title": "Agua", "text": "", "effect": {}}
    proposal = act(assembly, assembly.members[0], "proposal.tabled", content)
    log_in_as(client, assembly.log, member)
    html = client.get(f"/en/assembly/{assembly.log}/proposals/{proposal}/").content.decode()
    (tag,) = [t for t in ACT_FORM.findall(html) if 'data-type="comment.posted"' in t]
    nonce = re.search(r'data-nonce="([^"]+)"', tag).group(1)  # type: ignore[union-attr]
    body = act_body("comment.posted", {"proposal": proposal, "text": "De acuerdo"}, vis="public")
    signed = sign_act(member, log=assembly.log, type="comment.posted", body=body, nonce=nonce)
    assert body.words is not None
    payload = {
        "act": signed.act.as_json(),
        "body": body.raw.decode(),
        "words": body.words.raw.decode(),
        "asig": signed.asig,
    }
    # when the device sends it twice (back, then submit again)
    first = client.post(f"/en/assembly/{assembly.log}/acts/", payload, content_type="application/json")
    again = client.post(f"/en/assembly/{assembly.log}/acts/", payload, content_type="application/json")
    # then the second is the same act, answered with the entry that holds it, and one comment is recorded
    assert first.status_code == 200
    assert (again.status_code, again.json()["duplicate"]) == (200, True)
    assert (again.json()["seq"], again.json()["entry"]) == (first.json()["seq"], first.json()["entry"])
    assert models.Entry.objects.filter(record__log=assembly.log, type="comment.posted").count() == 1
