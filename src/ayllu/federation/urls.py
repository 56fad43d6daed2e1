"""Replication endpoints, mounted at /fed/ by `ayllu.urls` (outside the language prefix)."""

from django.urls import path

from . import views

app_name = "federation"
urlpatterns = [
    path("", views.index, name="index"),
    path("evidence/", views.evidence, name="evidence"),
    path("<str:log>/checkpoint/", views.members_only_guard(views.checkpoint), name="checkpoint"),
    path(
        "<str:log>/checkpoint/<int:size>/",
        views.members_only_guard(views.checkpoint),
        name="checkpoint_of_size",
    ),
    path("<str:log>/entries/", views.members_only_guard(views.entries), name="entries"),
    path("<str:log>/bodies/", views.members_only_guard(views.bodies), name="bodies"),
    path("<str:log>/proof/consistency/", views.members_only_guard(views.consistency), name="consistency"),
    path("<str:log>/proof/inclusion/", views.members_only_guard(views.inclusion), name="inclusion"),
    path("<str:log>/cosignatures/", views.members_only_guard(views.cosignatures), name="cosignatures"),
]
