"""On a demo node a visitor keeps the demo household's key from the "try it" page, is logged in with
it at once (no second button), and acts: a notice posted from the meetings page lands in the record,
signed by that member."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test.utils import override_settings

from ayllu.actions.record import forget_replayed_state
from ayllu.queries.replayed import read_state
from ayllu.storage.keyfiles import create_key_file
from factories.keys import keypair
from factories.stored import found

from .browsing import PHONE, assert_accessible

pytestmark = pytest.mark.browser


def test_a_visitor_takes_the_demo_key_logs_in_and_posts_a_notice(
    new_page: Callable[..., Any], live_server: Any, transactional_db: None, tmp_path: Path
) -> None:
    # given a demo node whose visitor key is a member of the demo assembly
    forget_replayed_state()
    visitor = keypair("elena", family="demo")
    assembly = found("Junta Vecinal Villa Esperanza", members=[keypair(1), keypair(2), visitor])
    key_file = tmp_path / "elena.key"
    create_key_file(key_file, seed=visitor.seed())
    with override_settings(AYLLU_DEMO_VISITOR_KEY_FILE=key_file):
        page = new_page(PHONE, axe=True)
        # when the visitor follows the demo link from the assembly's page at 360 px
        page.goto(f"{live_server.url}/es/asamblea/{assembly.log}/")
        page.get_by_role("link", name="Pruebe a actuar en esta junta como una de sus familias").click()
        page.wait_for_selector("[data-ayllu-install]:not([hidden])")
        page.screenshot(path=str(tmp_path / "demo-key-es-phone.png"), full_page=True)
        assert_accessible(page, "demo key", PHONE)
        # and keeps the key, which logs them in at once: the member's home, not the login page
        page.get_by_role("button", name="Guardar la clave de demostración en este navegador y entrar").click()
        page.wait_for_url(f"{live_server.url}/es/asamblea/{assembly.log}/")
        assert page.get_by_role("button", name="Salir").is_visible()
        # and posts a notice from the meetings page
        page.goto(f"{live_server.url}/es/asamblea/{assembly.log}/reuniones/")
        page.get_by_label("Su mensaje").fill("Minka el sábado a las 8:00 en la cancha.")
        with page.expect_event("load"):
            page.get_by_role("button", name="Publicar el mensaje").click()
    # then the record holds the notice, signed with the demo key
    forget_replayed_state()
    assert read_state(assembly.log, lambda state: state.notices) == 1
