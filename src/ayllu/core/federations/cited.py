"""Reading the act a cited entry of another record states, from the public body a citing act carries.

A federation's act that rests on a home entry carries the citation (checked by proof) and the entry's
public body; the federation's replay reads the body only once it is the one the cited header signs, so
every replica reads the same act whatever it holds of the home record (decision 0018).
"""

from typing import Any, TypeVar

from ayllu.core.assembly.acts import Act, Signer
from ayllu.core.assembly.citing import refuse_own_record
from ayllu.core.assembly.events import Context
from ayllu.core.assembly.state import AssemblyState
from ayllu.core.errors import MalformedBody, RuleError
from ayllu.core.federations.errors import NotAFederation
from ayllu.core.ledger.canonical import canonical_bytes
from ayllu.core.ledger.citations import Citation
from ayllu.core.ledger.record import RULE_VIS, WORDS, sha256_hex, words_commitment

A = TypeVar("A", bound=Act)


class CitingAct(Act):
    """Base of a federation's acts that rest on entries of home records: any key may sign one (the
    citations in its `cites` field are its proof), and reading it checks each citation."""

    __slots__ = ()

    signer = Signer.NON_MEMBER
    cites_in = "cites"


def read_cited(
    citation: Citation, body: dict[str, Any], kind: type[A], *, seq: int, refused: type[RuleError]
) -> A:
    """The `kind` act the cited entry states, from `body`; raise `refused` unless the entry is of that
    type, `body` is the public body its header signs, holds no words, and is well formed."""
    header = citation.header
    if header.type != kind.type:
        raise refused(seq=seq, type=header.type)
    if header.act.body_key()[1] != RULE_VIS or sha256_hex(canonical_bytes(body)) != header.act.body:
        raise refused(seq=seq, reason="body_not_signed")
    content = dict(body)
    if header.act.split:
        commitment = words_commitment(content)
        if commitment is None or commitment[1]:
            raise refused(seq=seq, reason="words")
        del content[WORDS]
    try:
        return kind.parse(content, seq=seq)
    except MalformedBody as exc:
        raise refused(seq=seq, reason="malformed", field=exc.detail.get("field", "")) from None


def one_citation(state: AssemblyState, act: CitingAct, ctx: Context, *, reason: str) -> Citation:
    """The one home entry `act` cites in a federation's record; else `not_a_federation`, or
    `malformed_body` with `reason` when it cites more or fewer."""
    if state.rules.federation is None:
        raise NotAFederation(seq=ctx.seq)
    citations = act.citations(seq=ctx.seq)
    if len(citations) != 1:
        raise MalformedBody(seq=ctx.seq, field="cites", reason=reason)
    return citations[0]


def assembly_citation(
    state: AssemblyState, act: CitingAct, ctx: Context, *, assembly: str, reason: str, other: type[RuleError]
) -> Citation:
    """The one entry `act` cites, of the record of `assembly` (another assembly's, not this one's);
    else as `one_citation`, or `other` when the entry is another record's."""
    citation = one_citation(state, act, ctx, reason=reason)
    refuse_own_record(state, assembly, field="assembly", seq=ctx.seq)
    if citation.log != assembly:
        raise other(seq=ctx.seq, assembly=assembly, cited=citation.log)
    return citation
