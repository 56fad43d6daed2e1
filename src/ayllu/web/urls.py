"""Pages of the members' web app; mounted under a language prefix (/es/, /en/) by `ayllu.urls`."""

from django.urls import URLPattern, URLResolver, include, path, register_converter
from django.utils.translation import gettext_lazy as _

from . import (
    views,
    views_acts,
    views_assembly,
    views_auth,
    views_calendar,
    views_cargos,
    views_citations,
    views_concentration,
    views_demo,
    views_draws,
    views_federation,
    views_federation_body,
    views_federation_offices,
    views_feeds,
    views_founding,
    views_invitations,
    views_mandates,
    views_matters,
    views_meetings,
    views_moves,
    views_notifications,
    views_proposals,
    views_recall,
    views_record_tools,
    views_register,
)
from .converters import MatterConverter

register_converter(MatterConverter, "matter")

# Django tries a list's patterns in order until one matches, and each translated pattern asks for the
# active language first; so the pages of one assembly sit under its translated address, grouped by
# section, and resolving a page tries its section's few patterns instead of every route of the node.
# The full addresses are the same as when each page had its own route (tests/web/test_route_addresses.py).
# Translators: the strings that end in "/" (or name a file) below are parts of URL paths, joined after
# "assembly/<str:log>/"; translate the words, keep anything between < and > exactly as it is.

# The record and its tools (views.py, views_record_tools.py, views_citations.py, views_federation.py,
# views_moves.py).
record_patterns: list[URLPattern | URLResolver] = [
    path("", views.record, name="record"),
    path(_("export/"), views_record_tools.record_export, name="record_export"),
    path(_("verify/"), views_record_tools.record_verify, name="record_verify"),
    path(
        _("decisions/"),
        include(
            [
                path("", views_record_tools.decisions, name="record_decisions"),
                path("<int:question_id>/", views_record_tools.decision, name="record_decision"),
                path(
                    _("<int:question_id>/proof.json"),
                    views_record_tools.decision_proof,
                    name="record_decision_proof",
                ),
            ]
        ),
    ),
    # Citations of an entry, to copy.
    path(_("entries/<int:seq>/citation/"), views_citations.entry_citation, name="record_entry_citation"),
    # Other nodes' evidence about this record, and moving it to another node.
    path(
        _("evidence/"),
        include(
            [
                path("", views_federation.evidence, name="record_evidence"),
                path("<str:evidence_id>.json", views_federation.evidence_file, name="record_evidence_file"),
            ]
        ),
    ),
    path(_("move/"), views_moves.record_move, name="record_move"),
]

# Meetings (views_meetings.py).
meeting_patterns: list[URLPattern | URLResolver] = [
    path("", views_meetings.meetings, name="meetings"),
    path(
        "<int:meeting_id>/",
        include(
            [
                path("", views_meetings.meeting, name="meeting"),
                path(_("live/"), views_meetings.meeting_live, name="meeting_live"),
                path(_("minutes/"), views_meetings.minutes, name="minutes"),
                path(_("minute-book.pdf"), views_meetings.minute_book, name="meeting_minute_book"),
            ]
        ),
    ),
]

# Proposals (views_proposals.py); the forms of the matters with an effect (views_matters.py), whose
# matter's word follows the language (converters.py).
proposal_patterns: list[URLPattern | URLResolver] = [
    path("", views_proposals.proposals, name="proposals"),
    path("<int:proposal_id>/", views_proposals.proposal, name="proposal"),
    path(
        _("new/"),
        include(
            [
                path("", views_proposals.new_proposal, name="new_proposal"),
                path("<matter:matter>/", views_matters.new_matter_proposal, name="new_matter_proposal"),
            ]
        ),
    ),
]

# Draws by lot (views_draws.py).
draw_patterns: list[URLPattern | URLResolver] = [
    path("", views_draws.draws, name="draws"),
    path("<int:draw_id>/", views_draws.draw, name="draw"),
    path(_("<int:draw_id>/evidence.json"), views_draws.draw_evidence_json, name="draw_evidence"),
]

# The device key: set up, try, log in (views_auth.py, views_demo.py).
device_patterns: list[URLPattern | URLResolver] = [
    path(_("device/"), views_auth.device, name="device"),
    path(_("lost-device/"), views_matters.lost_device, name="lost_device"),
    path(
        _("try/"),
        include(
            [
                path("", views_demo.demo_key, name="demo_key"),
                path(_("inbox/"), views_demo.demo_inbox, name="demo_inbox"),
            ]
        ),
    ),
    path(
        _("login/"),
        include(
            [
                path("", views_auth.login, name="login"),
                path(_("challenge/"), views_auth.login_challenge, name="login_challenge"),
            ]
        ),
    ),
]

# Invitations (views_invitations.py); a council's register of households becomes one invitation per
# household (views_register.py).
invitation_patterns: list[URLPattern | URLResolver] = [
    path("", views_invitations.invitations, name="invitations"),
    path(_("register/"), views_register.register, name="register"),
]

# The pages of one assembly, the most asked-for first.
assembly_patterns: list[URLPattern | URLResolver] = [
    path("", views_assembly.assembly_home, name="assembly"),
    # A federation's member assemblies and their delegates (views_federation_body.py).
    path(_("federation/"), views_federation_body.federation, name="federation_home"),
    path(
        _("federation/resolution/<int:resolution>/"),
        views_federation_body.resolution,
        name="federation_resolution",
    ),
    path(_("record/"), include(record_patterns)),
    path(_("meetings/"), include(meeting_patterns)),
    path(_("proposals/"), include(proposal_patterns)),
    # Signed acts (views_acts.py).
    path(_("acts/"), views_acts.submit_act, name="submit_act"),
    # The members' pages (views_assembly.py).
    path(_("charter/"), views_assembly.charter, name="charter"),
    path(_("members/"), views_assembly.members, name="members"),
    path(_("my-words/"), views_assembly.my_words, name="my_words"),
    # Cargos, mandates, recall, draws by lot and concentration (views_cargos.py and its siblings).
    path("cargos/", views_cargos.cargos, name="cargos"),  # the same word in Spanish and English
    path(_("mandates/"), views_mandates.mandates, name="mandates"),
    # Our federations' offices by turn and overflow petitions (views_federation_offices.py).
    path(_("federation-offices/"), views_federation_offices.federation_offices, name="federation_offices"),
    path(_("recall/"), views_recall.recall, name="recall"),
    path(_("recall/new/"), views_recall.new_recall, name="new_recall"),
    path(_("draws/"), include(draw_patterns)),
    path(_("concentration/"), views_concentration.concentration, name="concentration"),
    # Citing an entry of another record into this assembly's record (views_citations.py).
    path(_("cite/"), views_citations.cite, name="cite"),
    path(_("invitations/"), include(invitation_patterns)),
    path(_("invitation/<str:token>/"), views_invitations.invitation, name="invitation"),
    # Calendars to subscribe to, and the feed of decisions and minutes (views_calendar.py, views_feeds.py).
    path(_("calendars/"), views_calendar.calendar_links, name="calendars"),
    path(_("calendar.ics"), views_calendar.assembly_calendar, name="assembly_calendar"),
    path(_("feed.atom"), views_feeds.assembly_feed, name="assembly_feed"),
    # A member's own notification settings, contact and outbox (views_notifications.py).
    path(_("notifications/"), views_notifications.notifications, name="notifications"),
    # The minute book: a PDF of every meeting's minutes.
    path(_("minute-book.pdf"), views_meetings.minute_book, name="minute_book"),
    *device_patterns,
]

app_name = "web"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="home"),
    # Translators: a URL path; keep "<str:log>" exactly as it is, translate the words around it.
    path(_("assembly/<str:log>/"), include(assembly_patterns)),
    path(_("logout/"), views_auth.logout, name="logout"),
    # Founding an assembly, each founder on their own device (views_founding.py).
    # Translators: keep "<str:draft>" and "<str:token>" exactly as they are.
    path(_("found/"), views_founding.found, name="found"),
    path(_("found/<str:draft>/<str:token>/"), views_founding.founding, name="founding"),
    path(_("calendar/<str:token>.ics"), views_calendar.member_calendar, name="member_calendar"),
    # Other nodes: mirrors, witnessing and following (views_federation.py).
    path(_("nodes/"), views_federation.nodes, name="nodes"),
    path(_("nodes/follow/"), views_federation.follow, name="follow"),
    path(_("nodes/follow/progress/"), views_federation.follow_progress, name="follow_progress"),
]
