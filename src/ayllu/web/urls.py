"""Pages of the members' web app; mounted under a language prefix (/es/, /en/) by `ayllu.urls`."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    # Translators: a URL path; keep "<str:log>" exactly as it is, translate the words around it.
    path(_("assembly/<str:log>/record/"), views.record, name="record"),
]
