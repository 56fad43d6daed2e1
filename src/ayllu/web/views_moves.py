"""The page where members move their assembly's record to another node (docs/federation.md, section 5).

Members endorse a move on their devices (static/web/js/move.js signs the move statement and posts it
here); once more than half of the active members endorsed, one of them signs `record.moved` with the
page's act form, posted to the one act route like every act.

A federation's record moves by its seated delegates (decision 0033): a delegate logged in at home
endorses, and signs the move, with the key their device keeps for that home (the forms' data-key-log,
as on the federation's other forms: the context's `away`); the core counts member assemblies.
"""

import json

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from ayllu.actions.moves import check_endorse_move
from ayllu.actions.record import node_keypair
from ayllu.core.errors import DomainError, NotAMember
from ayllu.queries.federations import list_delegates
from ayllu.queries.moves import Moves, get_moves
from ayllu.queries.replayed import one_head

from . import auth
from .replies import json_domain_error, json_error
from .views_assembly import Away, assembly_context, signing_key


@require_http_methods(["GET", "POST"])
@one_head()
def record_move(request: HttpRequest, log: str) -> HttpResponse:
    """GET: the moves under way and their endorsements. POST (JSON {node, after, sig}): endorse one."""
    context = assembly_context(request, log)
    # in a federation, a delegate logged in at home (None elsewhere, and for a login to this record)
    away: Away | None = context["away"]
    moves = get_moves(log, key=signing_key(context), this_node=node_keypair().public, now=context["now"])
    if request.method == "POST":
        # a federation keeps a delegate's endorsement under their key (queries/moves.py)
        member = away.key if away is not None else context["me"]
        return _endorse(request, log, moves=moves, member=member, away=away)
    # A node that does not seal the record offers itself as the place to move to (the old one is lost).
    offered = moves.this_node if moves.sealer != moves.this_node else ""
    context.update(
        section="members",
        moves=moves,
        offered=offered,
        key_log=away.log if away is not None else "",
    )
    if moves.federation:
        context["delegates"] = list_delegates(log)
    return render(request, "web/assembly/record_move.html", context)


def _endorse(request: HttpRequest, log: str, *, moves: Moves, member: str, away: Away | None) -> JsonResponse:
    try:
        key = away.key if away is not None else auth.require_login(request, log=log).key
        data = json.loads(request.body)
    except DomainError as error:
        return json_domain_error(error)
    except (ValueError, RecursionError):
        return json_error("act_malformed")
    if not isinstance(data, dict) or not all(isinstance(data.get(f), str) for f in ("node", "after", "sig")):
        return json_error("act_malformed")
    if not moves.may_endorse:
        return json_domain_error(NotAMember(author=key))
    try:
        check_endorse_move(
            log,
            member=member,
            key=key,
            node=data["node"],
            after=data["after"],
            sig=data["sig"],
            head=moves.head,
            sealer=moves.sealer,
        )
    except DomainError as error:
        return json_domain_error(error)
    return JsonResponse({"ok": True})
