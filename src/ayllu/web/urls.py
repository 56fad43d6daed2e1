"""Pages of the members' web app; mounted under a language prefix (/es/, /en/) by `ayllu.urls`."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views, views_acts, views_auth

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    # Translators: a URL path; keep "<str:log>" exactly as it is, translate the words around it.
    path(_("assembly/<str:log>/record/"), views.record, name="record"),
    # The device key: set up, log in, log out (views_auth.py), and signed acts (views_acts.py).
    path(_("assembly/<str:log>/device/"), views_auth.device, name="device"),
    path(_("assembly/<str:log>/login/"), views_auth.login, name="login"),
    path(_("assembly/<str:log>/login/challenge/"), views_auth.login_challenge, name="login_challenge"),
    path(_("assembly/<str:log>/acts/"), views_acts.submit_act, name="submit_act"),
    path(_("logout/"), views_auth.logout, name="logout"),
]
