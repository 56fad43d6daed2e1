"""`ayllu keygen`: a member key file for tests, demos and members without a browser key."""

from pathlib import Path

from ayllu.storage.keyfiles import create_key_file


def keygen(out: Path) -> int:
    """Create a key file at `out` (mode 0600) and print only its public key."""
    keypair = create_key_file(out)
    print(keypair.public)
    return 0
