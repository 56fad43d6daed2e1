"""Ed25519 key files: a node's key and members' keys, created with mode 0600 and never echoed.

A key file is two lines of text: a comment naming the public key, and the 32-byte seed as hex.
It is written to a temporary file opened with O_CREAT|O_EXCL and mode 0600, then hard-linked into
place, so a reader never sees a half-written key and two processes never both create one.
"""

import os
import secrets
import stat
from pathlib import Path

from ayllu.core.ledger.keys import Keypair, is_hex

from .errors import KeyFileError

HEADER = "# ayllu Ed25519 private key; public key "
SEED_HEX_LENGTH = 64


def create_key_file(path: Path, *, seed: bytes | None = None) -> Keypair:
    """Create a new key file at `path` (mode 0600); raise KeyFileError if one is already there."""
    keypair = Keypair.from_seed(seed if seed is not None else secrets.token_bytes(32))
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as out:
            out.write(f"{HEADER}{keypair.public}\n{keypair.seed().hex()}\n")
            out.flush()
            os.fsync(out.fileno())
        try:
            os.link(temp, path)
        except FileExistsError:
            raise KeyFileError(reason="exists", path=str(path)) from None
    finally:
        temp.unlink(missing_ok=True)
    return keypair


def read_key_file(path: Path) -> Keypair:
    """Read a key file; refuse one that others may read, and never put its content in an error."""
    try:
        mode = path.stat().st_mode
        text = path.read_text(encoding="ascii")
    except FileNotFoundError:
        raise KeyFileError(reason="missing", path=str(path)) from None
    except (OSError, UnicodeDecodeError):
        raise KeyFileError(reason="unreadable", path=str(path)) from None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise KeyFileError(reason="permissions", path=str(path), mode=oct(stat.S_IMODE(mode)))
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]
    if len(lines) != 1 or not is_hex(lines[0], SEED_HEX_LENGTH):
        raise KeyFileError(reason="malformed", path=str(path))
    return Keypair.from_seed(bytes.fromhex(lines[0]))


def load_or_create_key_file(path: Path) -> Keypair:
    """Read the key at `path`, creating it first when there is none (a race is settled by the link)."""
    if not path.exists():
        try:
            return create_key_file(path)
        except KeyFileError as exc:
            if exc.detail.get("reason") != "exists":
                raise
    return read_key_file(path)
