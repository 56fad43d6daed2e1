"""Ed25519 keys and domain-separated signatures (PyNaCl).

Every kind of signature has its own context string, prefixed to the signed bytes, so a signature made
for one purpose (an act, an entry, a checkpoint, a receipt) can never be passed off as another.
Private keys are held only as `Keypair` objects whose repr never shows the secret.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from nacl.exceptions import BadSignatureError
from nacl.signing import SigningKey, VerifyKey

ACT_CONTEXT = b"ayllu/v1/act\x00"
ENTRY_CONTEXT = b"ayllu/v1/entry\x00"
CHECKPOINT_CONTEXT = b"ayllu/v1/checkpoint\x00"
RECEIPT_CONTEXT = b"ayllu/v1/receipt\x00"
COSIGN_CONTEXT = b"ayllu/v1/cosign\x00"
ENDORSE_CONTEXT = b"ayllu/v1/endorse\x00"
LOG_CONTEXT = b"ayllu/v1/log\x00"
# A login proves a member holds their device key right now; it is never an act and never in a record.
LOGIN_CONTEXT = b"ayllu/v1/login\x00"

_LOWER_HEX = re.compile(r"[0-9a-f]*")

HEX_KEY_LENGTH = 64
HEX_SIGNATURE_LENGTH = 128


@dataclass(frozen=True, slots=True)
class Keypair:
    """An Ed25519 key pair; `public` is the lowercase hex public key."""

    _signing: SigningKey = field(repr=False)
    public: str

    @classmethod
    def from_seed(cls, seed: bytes) -> "Keypair":
        """Build a key pair from its 32-byte seed (the private key)."""
        if len(seed) != 32:
            raise ValueError("an Ed25519 seed is 32 bytes")
        signing = SigningKey(seed)
        return cls(signing, bytes(signing.verify_key).hex())

    def seed(self) -> bytes:
        """The 32-byte private seed; only key-file code should ever call this."""
        return bytes(self._signing)

    def sign(self, context: bytes, message: bytes) -> str:
        """Sign `context || message`; return the signature as lowercase hex."""
        return self._signing.sign(context + message).signature.hex()

    def __repr__(self) -> str:
        return f"Keypair(public={self.public!r})"


def is_hex(text: object, length: int) -> bool:
    """True when `text` is a lowercase hex string of exactly `length` characters."""
    if not isinstance(text, str) or len(text) != length:
        return False
    # A regex, not a loop over characters: verification calls this several times per entry.
    return _LOWER_HEX.fullmatch(text) is not None


def all_hex(texts: Sequence[object], length: int) -> bool:
    """True when every one of `texts` is a lowercase hex string of exactly `length` characters (as
    `is_hex` of each), checked with one pattern over them all."""
    if not all(isinstance(text, str) and len(text) == length for text in texts):
        return False
    return _LOWER_HEX.fullmatch("".join(texts)) is not None  # type: ignore[arg-type]  # all str


def verify_signature(public: str, context: bytes, message: bytes, signature: str) -> bool:
    """Check a hex signature over `context || message` by the hex public key."""
    try:
        VerifyKey(bytes.fromhex(public)).verify(context + message, bytes.fromhex(signature))
    except (BadSignatureError, ValueError, TypeError):
        return False
    return True
