"""Domain error codes turned into words for people: the one place pages and the API look them up.

The core and storage raise errors with a stable `code` and a `detail` dict and never write prose
(STYLE.md); here each code gets a translated sentence. Sentences may name values from `detail` with
`%(name)s`; a value the detail lacks shows as "?" rather than breaking the page.
"""

from collections.abc import Mapping
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

MESSAGES: dict[str, Promise] = {
    # bytes and encodings
    "domain_error": _("The request breaks a rule of the record."),
    "encoding_error": _("The data is not written in the record's format."),
    "non_canonical": _("The entry is not written in the one exact form the record requires."),
    "not_json": _("The entry is not readable data."),
    "forbidden_value": _("The entry holds a value the record does not allow, such as a fraction."),
    "malformed_entry": _("The entry lacks a field or has one of the wrong kind."),
    "malformed_body": _("The content of the entry is not in the record's format."),
    "malformed_checkpoint": _("A checkpoint is not in the record's format."),
    "malformed_receipt": _("A receipt is not in the record's format."),
    # signatures
    "signature_error": _("A signature does not match."),
    "bad_author_signature": _("The signature of the member who made this act does not match."),
    "bad_node_signature": _("The signature of the node that recorded this entry does not match."),
    "bad_checkpoint_signature": _("The node's signature on a checkpoint does not match."),
    "bad_receipt_signature": _("The node's signature on a receipt does not match."),
    # the chain
    "chain_error": _("The entries do not follow each other as they should."),
    "wrong_log": _("The entry belongs to another assembly's record."),
    "seq_gap": _("An entry is missing: the numbering skips."),
    "broken_chain": _("The entry is not linked to the one before it: the history was changed."),
    "duplicate_act": _("The same act appears twice in the record."),
    "wrong_body_hash": _("The content does not match what its author signed."),
    "missing_body": _("The content of the entry is missing, although everyone should be able to see it."),
    "inconsistent_checkpoint": _("The node signed two summaries of the record that contradict each other."),
    "receipt_not_honoured": _(
        "The node gave a receipt for an entry it no longer shows: an entry was removed or withheld."
    ),
    "bad_proof": _("The proof does not show that the entry is in the record."),
    "head_mismatch": _("The node says the record has a different number of entries than it really holds."),
    # the assembly's rules
    "rule_broken": _("The entry breaks a rule of the assembly."),
    "not_a_member": _("The act was made by someone who is not a member of the assembly."),
    "unknown_entry_type": _("The record holds a kind of act this node does not know."),
    "not_founded": _("The assembly has not been founded yet."),
    "already_founded": _("The assembly was already founded."),
    # storage
    "storage_error": _("The node could not read or write its database."),
    "storage_full": _("The node's disk is full: nothing was written."),
    "storage_read_only": _("The node's database is read-only: nothing was written."),
    "storage_busy": _("The node is busy: please try again in a moment."),
    "record_not_found": _("There is no such record on this node."),
    "record_exists": _("That record already exists on this node."),
    "key_file_error": _("The node's key file is missing or not protected."),
}

UNKNOWN = _("Something went wrong (code %(code)s).")


class _Detail(dict[str, Any]):
    """A detail mapping that shows a missing value as "?" instead of raising."""

    def __missing__(self, key: str) -> str:
        return "?"


def message_for(code: str, detail: Mapping[str, Any]) -> str:
    """Return the translated sentence for a domain error code, in the active language."""
    message = MESSAGES.get(code)
    if message is None:
        return str(UNKNOWN) % {"code": code}
    text = str(message)
    if "%(" not in text:
        return text
    return text % _Detail(detail)
