"""Writes to a record: founding an assembly, appending entries, signing checkpoints, verifying.

Every append is atomic and serialised per record: the author's signature is checked before anything is
stored, the record's write lock is taken (SQLite: BEGIN IMMEDIATE; PostgreSQL: SELECT ... FOR UPDATE on
the record row), the rules are re-checked by replaying the entry onto the current state, the node seals
the entry, and entry, body and new head are written in one transaction. Only then is a receipt signed.
"""

from .append import (
    Submitted,
    check_author_signatures,
    do_append,
    do_append_many,
    do_found_assembly,
    do_submit,
    do_submit_founding,
    erase_words_of,
)
from .checkpoints import do_refresh_checkpoint, do_sign_checkpoint
from .state import forget_replayed_state, node_keypair
from .verify import (
    batch_mapper,
    default_workers,
    do_import_record,
    do_restore_record,
    do_verify_record,
    do_verify_record_citations,
    do_verify_records,
)

__all__ = [
    "Submitted",
    "batch_mapper",
    "check_author_signatures",
    "default_workers",
    "do_append",
    "do_append_many",
    "do_found_assembly",
    "do_import_record",
    "do_refresh_checkpoint",
    "do_restore_record",
    "do_sign_checkpoint",
    "do_submit",
    "do_submit_founding",
    "do_verify_record",
    "do_verify_record_citations",
    "do_verify_records",
    "erase_words_of",
    "forget_replayed_state",
    "node_keypair",
]
