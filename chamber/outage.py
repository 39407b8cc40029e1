"""A database outage answers 503 with a page that says nothing was saved, not a 500.

Two hooks are needed because Django turns an exception into a response at every layer of the
middleware stack: an exception in a view reaches ``process_exception``, but one raised before
the view (LoginRequiredMiddleware reading ``request.user`` loads the session and the user from
the database) or after it (SessionMiddleware saving the session) is already a 500 response
before any middleware above it could see it. Django hands those to ``handler500``, so
``server_error`` is that handler and answers 503 for the same errors.

The broken connection needs no handling here: Django marks a connection that raised
``OperationalError``/``InterfaceError`` and closes it when the request ends
(``close_old_connections``), and ``CONN_HEALTH_CHECKS`` replaces a persistent connection that
died between requests, so the first request after the database returns connects afresh.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.utils.cache import add_never_cache_headers
from django.utils.log import log_response
from django.views import defaults

OUTAGE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def outage_response(request) -> HttpResponse:
    """The 503 page, rendered without the request so that no context processor touches the
    database; never cached, with a hint to retry in 30 seconds."""
    retry_url = request.get_full_path() if request.method in ("GET", "HEAD") else ""
    html = loader.get_template("503.html").render({"retry_url": retry_url})
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


class DatabaseUnavailableMiddleware:
    """Answer 503 when the database fails while a view handles the request.

    The view's ``transaction.atomic()`` blocks have rolled back by the time the exception gets
    here, so the page can say that nothing was saved.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OUTAGE_ERRORS):
            return None
        response = outage_response(request)
        # Logged here with the exception, like Django logs a 500; the response is marked as
        # logged, so Django's request logging does not log it a second time.
        log_response(
            "%s: %s",
            response.reason_phrase,
            request.path,
            response=response,
            request=request,
            exception=exception,
        )
        return response


def server_error(request, template_name=defaults.ERROR_500_TEMPLATE_NAME):
    """``handler500``: the outage page when the database failed outside the view (in a
    middleware), the usual 500 page otherwise.

    Django calls it while handling the exception, so ``sys.exc_info()`` holds it, and logs the
    response with the traceback afterwards.
    """
    if isinstance(sys.exc_info()[1], OUTAGE_ERRORS):
        return outage_response(request)
    return defaults.server_error(request, template_name)
