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


class RecordExists(StorageError):
    code = "record_exists"
    status = 409


class KeyFileError(StorageError):
    """A key file is missing, malformed or readable by others; the detail never holds key material."""

    code = "key_file_error"
