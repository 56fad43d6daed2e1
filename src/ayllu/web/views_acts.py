"""The one route through which a member's browser hands a signed act to the node.

The browser (static/web/js/act-form.js) builds the act, signs it with the device key and posts
`{"act": {v, log, type, author, vis, body, nonce}, "body": "<canonical JSON text>", "words": "<canonical
JSON text>", "asig": hex}`: in format 2 `body` is the act's public rule data and `words` what the member
wrote, under the act's visibility (docs/record-format.md, section 13).
The node never signs for anyone: it checks that the act is the logged-in member's own (or one of the
acts a non-member may make, such as applying to join, counted per client address unless the node holds
it already), then `check_take_act` checks the signature and replays the assembly's rules before anything
is stored; the same act sent again answers where the first one landed, with `"duplicate": true`. An
application to join or a lost-key claim waits outside the record until a member takes it in
(actions/waiting_room.py).
"""

import json
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_POST

from ayllu.actions.assembly import check_take_act, parse_signed_act
from ayllu.actions.catalogue import NON_MEMBER_TYPES
from ayllu.actions.rate_limits import AnonymousWrite, check_anonymous_act
from ayllu.actions.waiting_room import Waiting
from ayllu.addresses import client_address
from ayllu.core.errors import DomainError
from ayllu.queries.federation_members import is_federation

from . import auth
from .replies import json_domain_error, json_error


def _envelope(data: Any) -> tuple[dict[str, Any], str, str, str | None] | None:
    """The parts the browser sends, when the request has that shape."""
    if not isinstance(data, dict):
        return None
    act, text, asig, words = data.get("act"), data.get("body"), data.get("asig"), data.get("words")
    if not (isinstance(act, dict) and isinstance(text, str) and isinstance(asig, str)):
        return None
    if words is not None and not isinstance(words, str):
        return None
    return act, text, asig, words


@require_POST
def submit_act(request: HttpRequest, log: str) -> JsonResponse:
    """Append an act the member signed on their device; answer with the entry's place or an error."""
    try:
        envelope = _envelope(json.loads(request.body))
    except (ValueError, RecursionError):  # not JSON, not UTF-8, or nested past the parser's depth
        envelope = None
    if envelope is None:
        return json_error("act_malformed")
    act, text, asig, words = envelope
    try:
        # The same parser as the API's signed-act route, with the same codes.
        signed, body = parse_signed_act(act, body_text=text, asig=asig, words_text=words)
        address = client_address(request)
        if signed.act.type in NON_MEMBER_TYPES:
            # Not counted when the node already holds this very act: a resend answers as the first time.
            check_anonymous_act(AnonymousWrite.NON_MEMBER_ACT, act=signed.act, address=address)
        else:
            # A federation's member acts come from delegates logged in at home (decision 0029).
            federation = is_federation(log)
            login = (
                auth.require_login_anywhere(request, log=log)
                if federation
                else auth.require_login(request, log=log)
            )
            if signed.act.author != login.key:
                return json_error("act_not_yours", {"author": signed.act.author})
        answer = check_take_act(log, signed_act=signed, body=body, address=address)
    except DomainError as error:
        return json_domain_error(error)
    if isinstance(answer, Waiting):
        # An application or a key claim waits outside the record until a member takes it in (decision 0011).
        return JsonResponse({"ok": True, "waiting": True, **answer.as_json()}, status=202)
    landed = {"ok": True, "seq": answer.receipt.seq, "entry": answer.receipt.entry}
    # The same act sent again (back, then submit): where the first one landed, said to be a retry.
    return JsonResponse({**landed, "duplicate": True} if answer.duplicate else landed)
