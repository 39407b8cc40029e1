"""The app's URLs plus a trivial view: the ceiling every page is measured against."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import path

from chamber.urls import urlpatterns as app_urlpatterns


@login_not_required
def trivial(request):
    """Through every middleware, but no template and no query."""
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench/trivial", trivial, name="bench_trivial"), *app_urlpatterns]
