"""URL map of a node: pages under a language prefix (/es/, /en/), the JSON API under /api/."""

from django.conf.urls.i18n import i18n_patterns
from django.urls import URLPattern, URLResolver, include, path

urlpatterns: list[URLPattern | URLResolver] = [
    path("i18n/", include("django.conf.urls.i18n")),
]
urlpatterns += i18n_patterns(
    path("", include("ayllu.web.urls")),
    prefix_default_language=True,
)
