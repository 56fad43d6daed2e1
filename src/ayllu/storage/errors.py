"""Errors of the storage layer, with stable codes like the core's; infrastructure errors end here."""

from ayllu.core.errors import DomainError


class StorageError(DomainError):
    code = "storage_error"
    status = 503


class StorageFull(StorageError):
    """The disk (or the database's size limit) is full: nothing was written."""

    code = "storage_full"


class StorageReadOnly(StorageError):
    """The database refuses writes (read-only file, replica or transaction): nothing was written."""

    code = "storage_read_only"


class StorageBusy(StorageError):
    code = "storage_busy"


class RecordNotFound(StorageError):
    code = "record_not_found"
    status = 404


class RecordDamaged(StorageError):
    """This node's copy of a record no longer verifies (storage/served.py): nothing may be added to it
    until an operator restores a good copy. `seq` names the first bad entry (None when none is to blame)."""

    code = "record_damaged"
    status = 503


class RestoreRefused(StorageError):
    """A copy offered to restore a record holds less than this node sealed (`shorter`), or another
    history (`other_history`): nothing was replaced."""

    code = "restore_refused"
    status = 409


class RecordExists(StorageError):
    code = "record_exists"
    status = 409


class KeyFileError(StorageError):
    """A key file is missing, malformed or readable by others; the detail never holds key material."""

    code = "key_file_error"
