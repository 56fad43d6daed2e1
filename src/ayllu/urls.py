"""URL map of a node: pages under a language prefix (/es/, /en/), the JSON API under /api/."""

from django.conf.urls.i18n import i18n_patterns
from django.urls import URLPattern, URLResolver, include, path

from ayllu.api.app import api
from ayllu.web import views, views_notifications

urlpatterns: list[URLPattern | URLResolver] = [
    # The old language switch (a CSRF-protected POST): pages now link to their other-language URL
    # ({% language_links %}); kept for pages rendered before.
    path("i18n/setlang/", views.set_language, name="set_language"),
    # The JSON API (OpenAPI at /api/openapi.json); its errors follow the request's Accept-Language.
    path("api/", api.urls),
    # Replication between nodes (issue 6): machine endpoints, no language prefix.
    path("fed/", include("ayllu.federation.urls")),
    # The Web Push service worker, at the root so that it may show notifications for every page.
    path("push-sw.js", views_notifications.push_worker, name="push_worker"),
]
# The pages, under their language's prefix.
urlpatterns += i18n_patterns(
    path("", include("ayllu.web.urls")),
    prefix_default_language=True,
)

# Django's error handlers check CSRF, which reads a POST body it may not parse: a 500 instead of a 4xx.
handler400 = "ayllu.web.errors.bad_request"
handler403 = "ayllu.web.errors.permission_denied"
handler404 = "ayllu.web.errors.not_found"
handler500 = "ayllu.web.errors.server_error"
