"""Pages of the members' web app; mounted under a language prefix (/es/, /en/) by `ayllu.urls`."""

from django.urls import path, register_converter
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

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    # The assembly's home page first: the most asked-for page, and URL patterns are tried in order.
    path(_("assembly/<str:log>/"), views_assembly.assembly_home, name="assembly"),
    # Translators: a URL path; keep "<str:log>" exactly as it is, translate the words around it.
    path(_("assembly/<str:log>/record/"), views.record, name="record"),
    # The device key: set up, log in, log out (views_auth.py), and signed acts (views_acts.py).
    path(_("assembly/<str:log>/device/"), views_auth.device, name="device"),
    path(_("assembly/<str:log>/try/"), views_demo.demo_key, name="demo_key"),
    path(_("assembly/<str:log>/try/inbox/"), views_demo.demo_inbox, name="demo_inbox"),
    path(_("assembly/<str:log>/login/"), views_auth.login, name="login"),
    path(_("assembly/<str:log>/login/challenge/"), views_auth.login_challenge, name="login_challenge"),
    path(_("assembly/<str:log>/acts/"), views_acts.submit_act, name="submit_act"),
    path(_("logout/"), views_auth.logout, name="logout"),
    # Founding an assembly, each founder on their own device (views_founding.py).
    # Translators: keep "<str:draft>" and "<str:token>" exactly as they are.
    path(_("found/"), views_founding.found, name="found"),
    path(_("found/<str:draft>/<str:token>/"), views_founding.founding, name="founding"),
    # The members' pages of an assembly (views_assembly.py, views_meetings.py, views_proposals.py).
    path(_("assembly/<str:log>/charter/"), views_assembly.charter, name="charter"),
    path(_("assembly/<str:log>/members/"), views_assembly.members, name="members"),
    path(_("assembly/<str:log>/my-words/"), views_assembly.my_words, name="my_words"),
    path(_("assembly/<str:log>/meetings/"), views_meetings.meetings, name="meetings"),
    # Translators: keep "<int:meeting_id>" exactly as it is.
    path(_("assembly/<str:log>/meetings/<int:meeting_id>/"), views_meetings.meeting, name="meeting"),
    path(
        _("assembly/<str:log>/meetings/<int:meeting_id>/live/"),
        views_meetings.meeting_live,
        name="meeting_live",
    ),
    path(_("assembly/<str:log>/meetings/<int:meeting_id>/minutes/"), views_meetings.minutes, name="minutes"),
    # The minute book: a PDF of every meeting's minutes, or of one meeting's.
    path(_("assembly/<str:log>/minute-book.pdf"), views_meetings.minute_book, name="minute_book"),
    path(
        _("assembly/<str:log>/meetings/<int:meeting_id>/minute-book.pdf"),
        views_meetings.minute_book,
        name="meeting_minute_book",
    ),
    path(_("assembly/<str:log>/proposals/"), views_proposals.proposals, name="proposals"),
    path(_("assembly/<str:log>/proposals/new/"), views_proposals.new_proposal, name="new_proposal"),
    # Forms for the matters with an effect (views_matters.py); the matter's word follows the language
    # (converters.py). Translators: keep "<matter:matter>" as it is.
    path(
        _("assembly/<str:log>/proposals/new/<matter:matter>/"),
        views_matters.new_matter_proposal,
        name="new_matter_proposal",
    ),
    path(_("assembly/<str:log>/lost-device/"), views_matters.lost_device, name="lost_device"),
    # Translators: keep "<int:proposal_id>" exactly as it is.
    path(_("assembly/<str:log>/proposals/<int:proposal_id>/"), views_proposals.proposal, name="proposal"),
    # Cargos, mandates, recall, draws by lot and concentration (views_cargos.py and its siblings).
    path(_("assembly/<str:log>/cargos/"), views_cargos.cargos, name="cargos"),
    path(_("assembly/<str:log>/mandates/"), views_mandates.mandates, name="mandates"),
    # Our federations' offices by turn and overflow petitions (views_federation_offices.py).
    path(
        _("assembly/<str:log>/federation-offices/"),
        views_federation_offices.federation_offices,
        name="federation_offices",
    ),
    # A federation's member assemblies and their delegates (views_federation_body.py).
    path(_("assembly/<str:log>/federation/"), views_federation_body.federation, name="federation_home"),
    path(_("assembly/<str:log>/recall/"), views_recall.recall, name="recall"),
    path(_("assembly/<str:log>/recall/new/"), views_recall.new_recall, name="new_recall"),
    path(_("assembly/<str:log>/draws/"), views_draws.draws, name="draws"),
    # Translators: keep "<int:draw_id>" exactly as it is.
    path(_("assembly/<str:log>/draws/<int:draw_id>/"), views_draws.draw, name="draw"),
    path(
        _("assembly/<str:log>/draws/<int:draw_id>/evidence.json"),
        views_draws.draw_evidence_json,
        name="draw_evidence",
    ),
    path(_("assembly/<str:log>/concentration/"), views_concentration.concentration, name="concentration"),
    # The record's tools: the export download and checking one decision (views_record_tools.py).
    path(_("assembly/<str:log>/record/export/"), views_record_tools.record_export, name="record_export"),
    path(_("assembly/<str:log>/record/verify/"), views_record_tools.record_verify, name="record_verify"),
    path(_("assembly/<str:log>/record/decisions/"), views_record_tools.decisions, name="record_decisions"),
    # Translators: keep "<int:question_id>" exactly as it is.
    path(
        _("assembly/<str:log>/record/decisions/<int:question_id>/"),
        views_record_tools.decision,
        name="record_decision",
    ),
    path(
        _("assembly/<str:log>/record/decisions/<int:question_id>/proof.json"),
        views_record_tools.decision_proof,
        name="record_decision_proof",
    ),
    # Citations of an entry, to copy, and citing one into this assembly's record (views_citations.py).
    # Translators: keep "<int:seq>" exactly as it is.
    path(
        _("assembly/<str:log>/record/entries/<int:seq>/citation/"),
        views_citations.entry_citation,
        name="record_entry_citation",
    ),
    path(_("assembly/<str:log>/cite/"), views_citations.cite, name="cite"),
    # Invitations (views_invitations.py). Translators: keep "<str:token>" exactly as it is.
    path(_("assembly/<str:log>/invitations/"), views_invitations.invitations, name="invitations"),
    path(_("assembly/<str:log>/invitation/<str:token>/"), views_invitations.invitation, name="invitation"),
    # A council's register of households becomes one invitation per household (views_register.py).
    path(_("assembly/<str:log>/invitations/register/"), views_register.register, name="register"),
    # Calendars to subscribe to, and the feed of decisions and minutes (views_calendar.py, views_feeds.py).
    path(_("assembly/<str:log>/calendars/"), views_calendar.calendar_links, name="calendars"),
    path(_("assembly/<str:log>/calendar.ics"), views_calendar.assembly_calendar, name="assembly_calendar"),
    path(_("calendar/<str:token>.ics"), views_calendar.member_calendar, name="member_calendar"),
    # A member's own notification settings, contact and outbox (views_notifications.py).
    path(_("assembly/<str:log>/notifications/"), views_notifications.notifications, name="notifications"),
    path(_("assembly/<str:log>/feed.atom"), views_feeds.assembly_feed, name="assembly_feed"),
    # Other nodes: mirrors, witnessing, evidence and following (views_federation.py).
    path(_("nodes/"), views_federation.nodes, name="nodes"),
    path(_("nodes/follow/"), views_federation.follow, name="follow"),
    path(_("nodes/follow/progress/"), views_federation.follow_progress, name="follow_progress"),
    path(_("assembly/<str:log>/record/evidence/"), views_federation.evidence, name="record_evidence"),
    path(_("assembly/<str:log>/record/move/"), views_moves.record_move, name="record_move"),
    # Translators: keep "<str:evidence_id>" exactly as it is.
    path(
        _("assembly/<str:log>/record/evidence/<str:evidence_id>.json"),
        views_federation.evidence_file,
        name="record_evidence_file",
    ),
]
