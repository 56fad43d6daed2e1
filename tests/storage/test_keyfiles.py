"""Key files: created 0600 and exclusively, refused when others may read them, never echoed."""

import stat
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.conf import settings

from ayllu.actions.record import node_keypair
from ayllu.storage.errors import KeyFileError
from ayllu.storage.keyfiles import create_key_file, load_or_create_key_file, read_key_file


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_key_file_is_created_with_mode_0600_and_reads_back(tmp_path: Path) -> None:
    # given
    path = tmp_path / "keys" / "ana.key"
    # when
    created = create_key_file(path)
    # then
    assert _mode(path) == 0o600
    assert read_key_file(path).public == created.public
    assert created.seed().hex() in path.read_text()
    assert list(path.parent.iterdir()) == [path]


def test_an_existing_key_file_is_never_overwritten(tmp_path: Path) -> None:
    # given
    path = tmp_path / "ana.key"
    first = create_key_file(path)
    # when
    with pytest.raises(KeyFileError) as raised:
        create_key_file(path)
    # then
    assert raised.value.detail["reason"] == "exists"
    assert read_key_file(path).public == first.public


def test_racing_creators_agree_on_one_key(tmp_path: Path) -> None:
    # given
    path = tmp_path / "node.key"
    # when
    with ThreadPoolExecutor(8) as pool:
        publics = set(pool.map(lambda _: load_or_create_key_file(path).public, range(16)))
    # then
    assert publics == {read_key_file(path).public}


def test_a_key_file_others_may_read_is_refused_without_showing_the_key(tmp_path: Path) -> None:
    # given
    path = tmp_path / "ana.key"
    seed = create_key_file(path).seed().hex()
    path.chmod(0o644)
    # when
    with pytest.raises(KeyFileError) as raised:
        read_key_file(path)
    # then
    assert raised.value.detail["reason"] == "permissions"
    assert seed not in str(raised.value) and seed not in repr(raised.value)


def test_a_malformed_key_file_error_does_not_echo_its_content(tmp_path: Path) -> None:
    # given
    path = tmp_path / "ana.key"
    secret = "ab" * 31 + "zz"
    path.write_text(secret + "\n")
    path.chmod(0o600)
    # when
    with pytest.raises(KeyFileError) as raised:
        read_key_file(path)
    # then
    assert raised.value.detail["reason"] == "malformed"
    assert secret not in str(raised.value)


def test_a_keypair_never_shows_its_seed(tmp_path: Path) -> None:
    # given
    keypair = create_key_file(tmp_path / "ana.key")
    seed = keypair.seed().hex()
    # then
    for text in (repr(keypair), str(keypair), f"{keypair!r}", str([keypair])):
        assert seed not in text
        assert keypair.public in text


def test_the_node_key_lives_in_the_configured_file_with_mode_0600() -> None:
    # when
    node = node_keypair()
    # then
    path = Path(settings.AYLLU_NODE_KEY_FILE)
    assert _mode(path) == 0o600
    assert read_key_file(path).public == node.public
