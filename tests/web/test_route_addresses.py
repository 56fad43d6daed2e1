"""Every page keeps its address when the routes are regrouped: reverse() and resolve() of each named page.

The table was written from the routes as they were before the per-assembly pages were grouped under one
translated prefix (`web/urls.py`); a page added since must add its row, and a changed address fails.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import translation

# What each kind of route parameter is filled with (a matter by its code: its word follows the language).
SAMPLES = {"str": "abc", "int": "7", "matter": "suspension"}
PARAMETER = re.compile(r"<(?:(\w+):)?(\w+)>")

# name: (Spanish address, English address)
ADDRESSES = {
    "assembly": ("/es/asamblea/abc/", "/en/assembly/abc/"),
    "assembly_calendar": ("/es/asamblea/abc/calendario.ics", "/en/assembly/abc/calendar.ics"),
    "assembly_feed": ("/es/asamblea/abc/novedades.atom", "/en/assembly/abc/feed.atom"),
    "calendars": ("/es/asamblea/abc/calendarios/", "/en/assembly/abc/calendars/"),
    "cargos": ("/es/asamblea/abc/cargos/", "/en/assembly/abc/cargos/"),
    "charter": ("/es/asamblea/abc/estatuto/", "/en/assembly/abc/charter/"),
    "cite": ("/es/asamblea/abc/citar/", "/en/assembly/abc/cite/"),
    "concentration": ("/es/asamblea/abc/concentracion/", "/en/assembly/abc/concentration/"),
    "demo_inbox": ("/es/asamblea/abc/probar/correo/", "/en/assembly/abc/try/inbox/"),
    "demo_key": ("/es/asamblea/abc/probar/", "/en/assembly/abc/try/"),
    "device": ("/es/asamblea/abc/dispositivo/", "/en/assembly/abc/device/"),
    "draw": ("/es/asamblea/abc/sorteos/7/", "/en/assembly/abc/draws/7/"),
    "draw_evidence": ("/es/asamblea/abc/sorteos/7/evidencia.json", "/en/assembly/abc/draws/7/evidence.json"),
    "draws": ("/es/asamblea/abc/sorteos/", "/en/assembly/abc/draws/"),
    "federation_home": ("/es/asamblea/abc/federacion/", "/en/assembly/abc/federation/"),
    "federation_offices": ("/es/asamblea/abc/cargos-de-federacion/", "/en/assembly/abc/federation-offices/"),
    "federation_resolution": (
        "/es/asamblea/abc/federacion/resolucion/7/",
        "/en/assembly/abc/federation/resolution/7/",
    ),
    "follow": ("/es/nodos/seguir/", "/en/nodes/follow/"),
    "follow_progress": ("/es/nodos/seguir/progreso/", "/en/nodes/follow/progress/"),
    "found": ("/es/fundar/", "/en/found/"),
    "founding": ("/es/fundar/abc/abc/", "/en/found/abc/abc/"),
    "home": ("/es/", "/en/"),
    "invitation": ("/es/asamblea/abc/invitacion/abc/", "/en/assembly/abc/invitation/abc/"),
    "invitations": ("/es/asamblea/abc/invitaciones/", "/en/assembly/abc/invitations/"),
    "login": ("/es/asamblea/abc/entrar/", "/en/assembly/abc/login/"),
    "login_challenge": ("/es/asamblea/abc/entrar/desafio/", "/en/assembly/abc/login/challenge/"),
    "logout": ("/es/salir/", "/en/logout/"),
    "lost_device": ("/es/asamblea/abc/dispositivo-perdido/", "/en/assembly/abc/lost-device/"),
    "mandates": ("/es/asamblea/abc/mandatos/", "/en/assembly/abc/mandates/"),
    "meeting": ("/es/asamblea/abc/reuniones/7/", "/en/assembly/abc/meetings/7/"),
    "meeting_live": ("/es/asamblea/abc/reuniones/7/en-vivo/", "/en/assembly/abc/meetings/7/live/"),
    "meeting_minute_book": (
        "/es/asamblea/abc/reuniones/7/libro-de-actas.pdf",
        "/en/assembly/abc/meetings/7/minute-book.pdf",
    ),
    "meetings": ("/es/asamblea/abc/reuniones/", "/en/assembly/abc/meetings/"),
    "member_calendar": ("/es/calendario/abc.ics", "/en/calendar/abc.ics"),
    "members": ("/es/asamblea/abc/miembros/", "/en/assembly/abc/members/"),
    "minute_book": ("/es/asamblea/abc/libro-de-actas.pdf", "/en/assembly/abc/minute-book.pdf"),
    "minutes": ("/es/asamblea/abc/reuniones/7/acta/", "/en/assembly/abc/meetings/7/minutes/"),
    "my_words": ("/es/asamblea/abc/mis-palabras/", "/en/assembly/abc/my-words/"),
    "new_matter_proposal": (
        "/es/asamblea/abc/propuestas/nueva/suspension/",
        "/en/assembly/abc/proposals/new/suspension/",
    ),
    "new_proposal": ("/es/asamblea/abc/propuestas/nueva/", "/en/assembly/abc/proposals/new/"),
    "new_recall": ("/es/asamblea/abc/revocatoria/nueva/", "/en/assembly/abc/recall/new/"),
    "nodes": ("/es/nodos/", "/en/nodes/"),
    "notifications": ("/es/asamblea/abc/avisos/", "/en/assembly/abc/notifications/"),
    "proposal": ("/es/asamblea/abc/propuestas/7/", "/en/assembly/abc/proposals/7/"),
    "proposals": ("/es/asamblea/abc/propuestas/", "/en/assembly/abc/proposals/"),
    "recall": ("/es/asamblea/abc/revocatoria/", "/en/assembly/abc/recall/"),
    "record": ("/es/asamblea/abc/registro/", "/en/assembly/abc/record/"),
    "record_decision": ("/es/asamblea/abc/registro/decisiones/7/", "/en/assembly/abc/record/decisions/7/"),
    "record_decision_proof": (
        "/es/asamblea/abc/registro/decisiones/7/prueba.json",
        "/en/assembly/abc/record/decisions/7/proof.json",
    ),
    "record_decisions": ("/es/asamblea/abc/registro/decisiones/", "/en/assembly/abc/record/decisions/"),
    "record_entry_citation": (
        "/es/asamblea/abc/registro/entradas/7/cita/",
        "/en/assembly/abc/record/entries/7/citation/",
    ),
    "record_evidence": ("/es/asamblea/abc/registro/evidencia/", "/en/assembly/abc/record/evidence/"),
    "record_evidence_file": (
        "/es/asamblea/abc/registro/evidencia/abc.json",
        "/en/assembly/abc/record/evidence/abc.json",
    ),
    "record_export": ("/es/asamblea/abc/registro/exportar/", "/en/assembly/abc/record/export/"),
    "record_move": ("/es/asamblea/abc/registro/traslado/", "/en/assembly/abc/record/move/"),
    "record_verify": ("/es/asamblea/abc/registro/verificar/", "/en/assembly/abc/record/verify/"),
    "register": ("/es/asamblea/abc/invitaciones/registro/", "/en/assembly/abc/invitations/register/"),
    "submit_act": ("/es/asamblea/abc/actos/", "/en/assembly/abc/acts/"),
}


def web_routes(patterns: list[URLPattern | URLResolver] | None = None, prefix: str = "") -> dict[str, str]:
    """Every named page of the `web` namespace and its full route, in the active language."""
    found: dict[str, str] = {}
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in (None, "web"):
                found |= web_routes(entry.url_patterns, prefix + str(entry.pattern))
        elif entry.name is not None and prefix:
            found[entry.name] = prefix + str(entry.pattern)
    return found


def parameters(route: str) -> dict[str, str]:
    return {m.group(2): SAMPLES[m.group(1) or "str"] for m in PARAMETER.finditer(route)}


def test_the_table_names_every_page() -> None:
    # given / when
    with translation.override("en"):
        names = set(web_routes())
    # then
    assert names == set(ADDRESSES)


@pytest.mark.parametrize("language", ["es", "en"])
@pytest.mark.parametrize("name", sorted(ADDRESSES))
def test_every_page_keeps_its_address(name: str, language: str) -> None:
    # given
    with translation.override("en"):
        kwargs = parameters(web_routes()[name])
    expected = ADDRESSES[name][0 if language == "es" else 1]
    with translation.override(language):
        # when
        address = reverse(f"web:{name}", kwargs=kwargs)
        match = resolve(address)
    # then: the same address, and it leads back to the same page with the same values
    assert address == expected
    assert (match.namespace, match.url_name) == ("web", name)
    assert {key: str(value) for key, value in match.kwargs.items()} == kwargs
