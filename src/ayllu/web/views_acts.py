"""The one route through which a member's browser hands a signed act to the node.

The browser (static/web/js/act-form.js) builds the act, signs it with the device key and posts
`{"act": {v, log, type, author, vis, body, nonce}, "body": "<canonical JSON text>", "asig": hex}`.
The node never signs for anyone: it checks that the act is the logged-in member's own (or one of the
acts a non-member may make, such as applying to join, counted per client address), then `do_append`
checks the signature and replays the assembly's rules before anything is stored.
"""

import json
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_POST

from ayllu.actions.assembly import parse_signed_act
from ayllu.actions.catalogue import NON_MEMBER_TYPES
from ayllu.actions.rate_limits import AnonymousWrite, check_anonymous_write
from ayllu.actions.record import do_append
from ayllu.core.errors import DomainError

from . import auth
from .replies import json_domain_error, json_error


def _envelope(data: Any) -> tuple[dict[str, Any], str, str] | None:
    """The three parts the browser sends, when the request has that shape."""
    if not isinstance(data, dict):
        return None
    act, text, asig = data.get("act"), data.get("body"), data.get("asig")
    if not (isinstance(act, dict) and isinstance(text, str) and isinstance(asig, str)):
        return None
    return act, text, asig


@require_POST
def submit_act(request: HttpRequest, log: str) -> JsonResponse:
    """Append an act the member signed on their device; answer with the entry's place or an error."""
    try:
        envelope = _envelope(json.loads(request.body))
    except (ValueError, RecursionError):  # not JSON, not UTF-8, or nested past the parser's depth
        envelope = None
    if envelope is None:
        return json_error("act_malformed")
    act, text, asig = envelope
    try:
        # The same parser as the API's signed-act route, with the same codes.
        signed, body = parse_signed_act(act, body_text=text, asig=asig)
        if signed.act.type in NON_MEMBER_TYPES:
            check_anonymous_write(AnonymousWrite.NON_MEMBER_ACT, address=auth.client_address(request))
        else:
            login = auth.require_login(request, log=log)
            if signed.act.author != login.key:
                return json_error("act_not_yours", {"author": signed.act.author})
        receipt = do_append(log, signed_act=signed, body=body)
    except DomainError as error:
        return json_domain_error(error)
    return JsonResponse({"ok": True, "seq": receipt.seq, "entry": receipt.entry})
