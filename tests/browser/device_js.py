"""Helpers that drive the node's own scripts (static/web/js) inside a Playwright page."""

from typing import Any

JS = "/static/web/js/"


def load_modules(page: Any) -> None:
    """Import the node's modules into the page as globals `canonical`, `keys` and `actForm`."""
    page.evaluate(
        f"""async () => {{
            window.canonical = await import("{JS}canonical.js");
            window.keys = await import("{JS}device-key.js");
            window.actForm = await import("{JS}act-form.js");
        }}"""
    )


def create_key(page: Any, log: str) -> str:
    """Create this device's key for `log` with device-key.js; return its public hex."""
    return page.evaluate("async (log) => (await keys.createDeviceKey(log)).publicKey", log)


def stored_key(page: Any, log: str) -> str | None:
    """The public hex of this device's stored key for `log`, or None."""
    return page.evaluate(
        "async (log) => { const key = await keys.getDeviceKey(log); return key ? key.publicKey : null; }", log
    )


def submit_in_page(page: Any, *, action: str, log: str, type: str, fields: dict[str, str]) -> dict[str, Any]:
    """Build a data-ayllu-act form in the page and submit it through act-form.js."""
    load_modules(page)
    return page.evaluate(
        """async ({action, log, type, fields}) => {
            const form = document.createElement("form");
            form.action = action;
            Object.assign(form.dataset, { aylluAct: "", log, type, vis: "public" });
            for (const [name, value] of Object.entries(fields)) {
                const input = document.createElement("input");
                input.name = "body." + name;
                input.value = value;
                form.append(input);
            }
            document.body.append(form);
            const answer = await actForm.submitActForm(form);
            form.remove();
            return answer;
        }""",
        {"action": action, "log": log, "type": type, "fields": fields},
    )
