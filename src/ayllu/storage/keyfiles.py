"""Key files: a node's Ed25519 key, members' keys and the node's Web Push (VAPID) key, created with mode
0600 and never echoed.

A key file is two lines of text: a comment naming the public key, and the 32-byte seed (Ed25519) or
private scalar (P-256, for VAPID) as hex.
It is written to a temporary file opened with O_CREAT|O_EXCL and mode 0600, then hard-linked into
place, so a reader never sees a half-written key and two processes never both create one.
"""

import base64
import os
import secrets
import stat
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from ayllu.core.ledger.keys import Keypair, is_hex

from .errors import KeyFileError

HEADER = "# ayllu Ed25519 private key; public key "
SEED_HEX_LENGTH = 64


def create_key_file(path: Path, *, seed: bytes | None = None) -> Keypair:
    """Create a new key file at `path` (mode 0600); raise KeyFileError if one is already there."""
    keypair = Keypair.from_seed(seed if seed is not None else secrets.token_bytes(32))
    _write_new(path, f"{HEADER}{keypair.public}\n{keypair.seed().hex()}\n")
    return keypair


def _write_new(path: Path, text: str) -> None:
    """Write `text` to a new file at `path` (mode 0600), whole or not at all; raise if one is there."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        try:
            os.link(temp, path)
        except FileExistsError:
            raise KeyFileError(reason="exists", path=str(path)) from None
    finally:
        temp.unlink(missing_ok=True)


def read_key_file(path: Path) -> Keypair:
    """Read a key file; refuse one that others may read, and never put its content in an error."""
    return Keypair.from_seed(bytes.fromhex(_read_secret_hex(path)))


def _read_secret_hex(path: Path) -> str:
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
    return lines[0]


def load_or_create_key_file(path: Path) -> Keypair:
    """Read the key at `path`, creating it first when there is none (a race is settled by the link)."""
    if not path.exists():
        try:
            return create_key_file(path)
        except KeyFileError as exc:
            if exc.detail.get("reason") != "exists":
                raise
    return read_key_file(path)


# --- the node's Web Push (VAPID) key: P-256, RFC 8292 ---------------------------------------------
PUSH_HEADER = "# ayllu VAPID (P-256) private key; application server key "


def push_public_key(private: ec.EllipticCurvePrivateKey) -> str:
    """The application server key browsers subscribe with: the uncompressed P-256 point, base64url."""
    raw = private.public_key().public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def load_or_create_push_key_file(path: Path) -> ec.EllipticCurvePrivateKey:
    """The node's VAPID private key at `path`, created (mode 0600) when there is none. Browsers subscribe
    with its public key; a push service accepts messages only when signed with it (decision 0017)."""
    if not path.exists():
        private = ec.generate_private_key(ec.SECP256R1())
        scalar = private.private_numbers().private_value.to_bytes(32, "big")
        try:
            _write_new(path, f"{PUSH_HEADER}{push_public_key(private)}\n{scalar.hex()}\n")
        except KeyFileError as exc:
            if exc.detail.get("reason") != "exists":
                raise
    return ec.derive_private_key(int(_read_secret_hex(path), 16), ec.SECP256R1())
