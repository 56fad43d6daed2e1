"""`ayllu prune-drafts` deletes the founding drafts that expired, and only those."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from ayllu.actions.founding_drafts import do_open_draft
from ayllu.cli.main import main
from ayllu.storage import models
from factories.nodes import Node


def test_prune_drafts_deletes_expired_drafts_and_keeps_the_others(
    db: None, settings, capsys: pytest.CaptureFixture[str]
) -> None:
    # given: two drafts, one untouched for longer than the lifetime
    expired = do_open_draft("Junta Vieja", households=["casa-1", "casa-2"]).draft
    kept = do_open_draft("Junta Nueva", households=["casa-1"]).draft
    lifetime = timedelta(days=settings.AYLLU_FOUNDING_DRAFT_DAYS)
    models.FoundingDraft.objects.filter(draft=expired).update(
        touched=timezone.now() - lifetime - timedelta(1)
    )
    # when
    status = main(["prune-drafts"])
    # then
    assert status == 0
    assert capsys.readouterr().out == "deleted 1 founding draft untouched for more than 30 days\n"
    assert list(models.FoundingDraft.objects.values_list("draft", flat=True)) == [kept]
    assert not models.FoundingSeat.objects.filter(founding__draft=expired).exists()


@pytest.mark.slow  # the installed `ayllu` command
def test_prune_drafts_runs_as_a_command_on_a_fresh_node(tmp_path: Path) -> None:
    # given: a node just set up (the command builds its parser before Django is set up)
    node = Node(tmp_path / "node")
    assert node.run("init").returncode == 0
    # when
    done = node.run("prune-drafts")
    # then
    assert done.returncode == 0, done.stderr
    assert done.stdout == "deleted 0 founding drafts untouched for more than 30 days\n"
