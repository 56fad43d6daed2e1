"""bench/web.py's URLconf: the node's own routes plus the smallest Django view, as the baseline."""

from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from ayllu.urls import urlpatterns as node_urlpatterns


@csrf_exempt
def minimal(request: HttpRequest) -> HttpResponse:
    """The baseline: Django's request/response cycle and middleware, no work of ours."""
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench/minimal/", minimal), *node_urlpatterns]
