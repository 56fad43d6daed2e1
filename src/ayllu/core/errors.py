"""One tree of domain errors, each with a stable code; the core never writes prose for people.

Web, API and CLI turn `code` into a translated message; `detail` names the offending values.
"""

from typing import Any, ClassVar


class DomainError(Exception):
    """Base of every error the core raises; `code` is stable and machine-readable."""

    code: ClassVar[str] = "domain_error"
    # The HTTP status pages and the API answer with: 400 malformed, 403 authority, 404 unknown,
    # 409 a rule or the record refuses it, 413 too large, 503 the node cannot store now.
    status: ClassVar[int] = 400

    def __init__(self, **detail: Any) -> None:
        self.detail: dict[str, Any] = detail
        super().__init__(self.code, detail)

    def __str__(self) -> str:
        if not self.detail:
            return self.code
        parts = ", ".join(f"{k}={v!r}" for k, v in sorted(self.detail.items()))
        return f"{self.code} ({parts})"


# --- bytes and encodings -------------------------------------------------------------------------
class EncodingError(DomainError):
    code = "encoding_error"


class NonCanonical(EncodingError):
    """The bytes parse, but are not the RFC 8785 canonical form of what they encode."""

    code = "non_canonical"


class NotJson(EncodingError):
    code = "not_json"


class ForbiddenValue(EncodingError):
    """A float, an out-of-range integer, a duplicate key or another value signed data may not hold."""

    code = "forbidden_value"


class MalformedEntry(EncodingError):
    code = "malformed_entry"


class MalformedBody(EncodingError):
    code = "malformed_body"


class BodyTooLarge(MalformedBody):
    """A body over its act type's size limit (detail: reason "too_large", size, limit)."""

    status = 413

    def __init__(self, **detail: object) -> None:
        super().__init__(reason="too_large", **detail)


class MalformedCheckpoint(EncodingError):
    code = "malformed_checkpoint"


class MalformedReceipt(EncodingError):
    code = "malformed_receipt"


# --- signatures ----------------------------------------------------------------------------------
class SignatureError(DomainError):
    code = "signature_error"
    status = 403


class BadAuthorSignature(SignatureError):
    code = "bad_author_signature"


class BadNodeSignature(SignatureError):
    code = "bad_node_signature"


class BadCheckpointSignature(SignatureError):
    code = "bad_checkpoint_signature"


class BadReceiptSignature(SignatureError):
    code = "bad_receipt_signature"


# --- the chain -----------------------------------------------------------------------------------
class ChainError(DomainError):
    code = "chain_error"


class WrongLog(ChainError):
    """An entry (or act) that belongs to another record: replayed from elsewhere."""

    code = "wrong_log"


class SeqGap(ChainError):
    code = "seq_gap"


class EntryFromTheFuture(ChainError):
    """An entry dated later than the checker's clock allows (record-format.md 11): not valid yet. A
    sealer could otherwise date an entry centuries ahead and make every replica fill cargo terms by turn
    all the way there before it reaches the entry's own rules."""

    code = "entry_from_the_future"


class BrokenChain(ChainError):
    code = "broken_chain"


class DuplicateAct(ChainError):
    """The same signed act appears twice in one record: a replay."""

    code = "duplicate_act"
    status = 409


class WrongBodyHash(ChainError):
    code = "wrong_body_hash"


class MissingBody(ChainError):
    code = "missing_body"


class InconsistentCheckpoint(ChainError):
    code = "inconsistent_checkpoint"


class ReceiptNotHonoured(ChainError):
    """A node-signed receipt names an entry the record no longer has (rollback) or will not show."""

    code = "receipt_not_honoured"


class BadProof(ChainError):
    code = "bad_proof"


# --- rules ---------------------------------------------------------------------------------------
class RuleError(DomainError):
    """A validly signed entry that breaks the assembly's rules: rejected on replay."""

    code = "rule_broken"
    status = 409


class NotAMember(RuleError):
    code = "not_a_member"
    status = 403


class UnknownEntryType(RuleError):
    code = "unknown_entry_type"


class NotFounded(RuleError):
    code = "not_founded"


class AlreadyFounded(RuleError):
    code = "already_founded"


# --- citations of another record's entries (docs/record-format.md 14) ---------------------------------
class CitationError(DomainError):
    """A citation of another record's entry that does not hold: the citing act is refused."""

    code = "citation_error"
    status = 409


class MalformedCitation(CitationError):
    code = "malformed_citation"
    status = 400


class CitationBadCheckpoint(CitationError):
    """The cited checkpoint does not parse, is not signed by its key, names another record, or is not
    signed by the cited record's sealer at that size."""

    code = "citation_bad_checkpoint"


class CitationBadEntry(CitationError):
    """The cited header does not parse, its signatures fail, or it is not the entry the citation names."""

    code = "citation_bad_entry"


class CitationBadProof(CitationError):
    """The inclusion proof does not show the cited entry in the checkpoint's tree."""

    code = "citation_bad_proof"


class CitationFork(CitationError):
    """The checker holds the cited record with another entry at that seq, or another root at that size."""

    code = "citation_fork"


class CitationRolledBack(CitationError):
    """The cited checkpoint is smaller than what its node had signed before it: the record was rolled back."""

    code = "citation_rolled_back"


class CitationRuleBroken(CitationError):
    """The cited entry, or one before it, breaks the cited record's rules on this checker's replay."""

    code = "citation_rule_broken"


class CitationUnknownRecord(CitationError):
    """The checker was asked to hold the cited record, and does not."""

    code = "citation_unknown_record"
    status = 404
