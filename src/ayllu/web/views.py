"""Pages. Views stay thin: reads come from `ayllu.queries`, writes go through `ayllu.actions`."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def home(request: HttpRequest) -> HttpResponse:
    """The node's front page."""
    return render(request, "web/home.html", {})
