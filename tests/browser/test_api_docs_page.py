"""The API's interactive page (/api/docs) works under the node's CSP, from the node's own static files.

django-ninja's default page loads Swagger UI from a CDN, which the node's Content-Security-Policy
(nothing from any host but this node) blocks: the page was blank. It now comes from the static files
django-ninja ships, so it lists the operations and asks no other host for anything.
"""

from typing import Any
from urllib.parse import urlsplit

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

WAIT_MS = 15_000


def test_the_api_page_lists_the_operations_from_this_node_alone(
    new_page: Any, live_server: Any, transactional_db: None
) -> None:
    # given: a browser that notes every request it makes and every CSP refusal
    page = new_page()
    requested: list[str] = []
    refused: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.on("console", lambda msg: refused.extend([msg.text] if "Security Policy" in msg.text else []))
    # when: it opens the API's page
    page.goto(live_server.url + "/api/docs")
    # then: the operations are listed (one act route, one read)
    operations = page.locator(".opblock")
    operations.first.wait_for(timeout=WAIT_MS)
    assert page.locator(".opblock-summary-path", has_text="/api/assemblies/{log}/notices").count() >= 1
    assert operations.count() > 50
    # and nothing was asked of another host, and the CSP refused nothing
    here = urlsplit(live_server.url).netloc
    elsewhere = [url for url in requested if urlsplit(url).scheme != "data" and urlsplit(url).netloc != here]
    assert elsewhere == []
    assert refused == []
