"""Which bodies a request may see: public to anyone, members-only to a member's delegated node.

A request from a member's node carries four headers (core/ledger/delegation.py): `Ayllu-Node` (the node's
key), `Ayllu-Time` (ms), `Ayllu-Signature` (the node's signature of this request) and
`Ayllu-Delegation` (a member's signed delegation of that node). The member must be a current member
of the assembly by the record as this node holds it. Confidential bodies are never served.
"""

from django.http import HttpRequest

from ayllu.core.ledger.delegation import check_request, parse_delegation
from ayllu.core.ledger.keys import Keypair
from ayllu.queries.members import is_current_member
from ayllu.storage import clock

from .client import Signer

PUBLIC = frozenset({"public"})
MEMBERS = frozenset({"public", "members"})


class NotAMembersNode(Exception):
    """The request claims a member's node but does not prove it; the detail says why."""

    def __init__(self, code: str, detail: dict[str, object]) -> None:
        super().__init__(code)
        self.code, self.detail = code, detail


def visible_for(request: HttpRequest, log: str) -> frozenset[str]:
    """The visibilities this request may be served; raise NotAMembersNode for a bad proof."""
    delegation = request.headers.get("Ayllu-Delegation")
    if delegation is None:
        return PUBLIC
    from ayllu.core.errors import DomainError

    try:
        parsed = parse_delegation(delegation.encode("utf-8"))
        check_request(
            parsed,
            log=log,
            method=request.method or "GET",
            path=request.get_full_path(),
            node=request.headers.get("Ayllu-Node", ""),
            time=int(request.headers.get("Ayllu-Time", "0")),
            sig=request.headers.get("Ayllu-Signature", ""),
            now=clock.now_ms(),
        )
    except DomainError as exc:
        raise NotAMembersNode(exc.code, exc.detail) from None
    except ValueError:
        raise NotAMembersNode("bad_request_signature", {"reason": "time"}) from None
    if not is_current_member(log, key=parsed.member):
        raise NotAMembersNode("bad_delegation", {"reason": "not_a_member", "member": parsed.member})
    return MEMBERS


def members_node_signer(node: Keypair, delegation: bytes) -> Signer:
    """Sign each request as `node`, carrying a member's delegation of it."""
    from ayllu.core.ledger.delegation import sign_request

    def sign(method: str, path: str) -> dict[str, str]:
        now = clock.now_ms()
        return {
            "Ayllu-Node": node.public,
            "Ayllu-Time": str(now),
            "Ayllu-Signature": sign_request(node, method=method, path=path, time=now),
            "Ayllu-Delegation": delegation.decode("utf-8"),
        }

    return sign
