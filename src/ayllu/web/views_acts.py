"""The one route through which a member's browser hands a signed act to the node.

The browser (static/web/js/act-form.js) builds the act, signs it with the device key and posts
`{"act": {v, log, type, author, vis, body, nonce}, "body": "<canonical JSON text>", "asig": hex}`.
The node never signs for anyone: it checks that the act is the logged-in member's own (or one of the
acts a non-member may make, such as applying to join), then `do_append` checks the signature and
replays the assembly's rules before anything is stored.
"""

import json
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_POST

from ayllu.actions.record import do_append
from ayllu.core.charter.members import NON_MEMBER_ACTS
from ayllu.core.errors import DomainError, MalformedBody
from ayllu.core.ledger.canonical import parse_canonical
from ayllu.core.ledger.record import ACT_FIELDS, FORMAT_VERSION, Act, Body, SignedAct, check_act_fields

from . import auth
from .replies import json_domain_error, json_error


def _signed_act(data: dict[str, Any]) -> tuple[SignedAct, Body] | None:
    act, text, asig = data.get("act"), data.get("body"), data.get("asig")
    if not (isinstance(act, dict) and isinstance(text, str) and isinstance(asig, str)):
        return None
    if set(act) != set(ACT_FIELDS) or act.get("v") != FORMAT_VERSION:
        return None
    fields = {name: act[name] for name in ACT_FIELDS if name != "v"}
    if not all(isinstance(value, str) for value in fields.values()):
        return None
    return SignedAct(Act(**fields), asig), Body(text.encode("utf-8"), fields["vis"])


@require_POST
def submit_act(request: HttpRequest, log: str) -> JsonResponse:
    """Append an act the member signed on their device; answer with the entry's place or an error."""
    try:
        data = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return json_error("act_malformed")
    parsed = _signed_act(data) if isinstance(data, dict) else None
    if parsed is None:
        return json_error("act_malformed")
    signed, body = parsed
    try:
        check_act_fields(signed.act)
        if not isinstance(parse_canonical(body.raw), dict):
            raise MalformedBody(reason="not_an_object")
        if signed.act.type not in NON_MEMBER_ACTS:
            login = auth.require_login(request, log=log)
            if signed.act.author != login.key:
                return json_error("act_not_yours", {"author": signed.act.author})
        receipt = do_append(log, signed_act=signed, body=body)
    except DomainError as error:
        return json_domain_error(error)
    return JsonResponse({"ok": True, "seq": receipt.seq, "entry": receipt.entry})
