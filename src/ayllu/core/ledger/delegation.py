"""Members' nodes: a member delegates a node to receive the assembly's members-only bodies, and that node
signs its requests, so a serving node can tell a member's node from anyone else.

A delegation is a canonical JSON object signed by a member's key:

    {"v": 1, "log", "member": member key, "node": node key, "until": ms, "sig"}
    sig = Ed25519 by `member` over DELEGATE_CONTEXT || canonical(object without "sig")

A node's request carries the delegation, the node's key, a time, and the node's signature over
REQUEST_CONTEXT || canonical({"v": 1, "method", "path", "node", "time"}), where `path` includes the
query string. The serving node checks both signatures, that the delegation is for this record, this
node and not expired, that the request is fresh, and (outside the core) that `member` is a current
member of the assembly. Confidential bodies are never served, delegation or not.
"""

from dataclasses import dataclass
from typing import Any

from ayllu.core.errors import DomainError
from ayllu.core.ledger.canonical import canonical_bytes, is_count, parse_canonical
from ayllu.core.ledger.keys import HEX_KEY_LENGTH, HEX_SIGNATURE_LENGTH, Keypair, is_hex, verify_signature
from ayllu.core.ledger.record import FORMAT_VERSION, HASH_LENGTH

DELEGATE_CONTEXT = b"ayllu/v1/delegate\x00"
REQUEST_CONTEXT = b"ayllu/v1/fed-request\x00"
DELEGATION_FIELDS = frozenset(("v", "log", "member", "node", "until", "sig"))
MAX_CLOCK_SKEW_MS = 5 * 60 * 1000


class BadDelegation(DomainError):
    code = "bad_delegation"


class BadRequestSignature(DomainError):
    code = "bad_request_signature"


@dataclass(frozen=True, slots=True)
class Delegation:
    """A member's signed word that `node` may receive members-only bodies of `log` until `until`."""

    raw: bytes
    log: str
    member: str
    node: str
    until: int


def delegate_node(member: Keypair, *, log: str, node: str, until: int) -> Delegation:
    """Sign, as a member, a delegation of `node` for record `log` until `until` (ms)."""
    unsigned = {"v": FORMAT_VERSION, "log": log, "member": member.public, "node": node, "until": until}
    sig = member.sign(DELEGATE_CONTEXT, canonical_bytes(unsigned))
    return parse_delegation(canonical_bytes({**unsigned, "sig": sig}))


def parse_delegation(raw: bytes) -> Delegation:
    """Parse exact delegation bytes and check the member's signature over them."""
    obj: Any = parse_canonical(raw)
    if not isinstance(obj, dict) or set(obj) != DELEGATION_FIELDS or obj["v"] != FORMAT_VERSION:
        raise BadDelegation(reason="fields")
    until = obj["until"]
    if not is_count(until):
        raise BadDelegation(reason="until")
    if not is_hex(obj["log"], HASH_LENGTH) or not is_hex(obj["sig"], HEX_SIGNATURE_LENGTH):
        raise BadDelegation(reason="fields")
    if not is_hex(obj["member"], HEX_KEY_LENGTH) or not is_hex(obj["node"], HEX_KEY_LENGTH):
        raise BadDelegation(reason="fields")
    unsigned = canonical_bytes({k: v for k, v in obj.items() if k != "sig"})
    if not verify_signature(obj["member"], DELEGATE_CONTEXT, unsigned, obj["sig"]):
        raise BadDelegation(reason="signature", member=obj["member"])
    return Delegation(raw, obj["log"], obj["member"], obj["node"], until)


def request_bytes(*, method: str, path: str, node: str, time: int) -> bytes:
    """The bytes a node signs for one request (without the context)."""
    return canonical_bytes({"v": FORMAT_VERSION, "method": method, "path": path, "node": node, "time": time})


def sign_request(node: Keypair, *, method: str, path: str, time: int) -> str:
    """The node's signature of one request."""
    return node.sign(REQUEST_CONTEXT, request_bytes(method=method, path=path, node=node.public, time=time))


def check_request(
    delegation: Delegation, *, log: str, method: str, path: str, node: str, time: int, sig: str, now: int
) -> None:
    """Raise unless a request for `log` is signed by the delegated node, fresh, within the delegation."""
    if delegation.log != log:
        raise BadDelegation(reason="other_log")
    if delegation.node != node:
        raise BadDelegation(reason="other_node")
    if delegation.until < now:
        raise BadDelegation(reason="expired", until=delegation.until)
    if abs(now - time) > MAX_CLOCK_SKEW_MS:
        raise BadRequestSignature(reason="stale", time=time)
    message = request_bytes(method=method, path=path, node=node, time=time)
    if not verify_signature(node, REQUEST_CONTEXT, message, sig):
        raise BadRequestSignature(reason="signature", node=node)
