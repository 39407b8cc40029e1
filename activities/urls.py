"""The app's URLs, one list per half; the names stay under the one ``activities`` namespace."""

from .events.urls import urlpatterns as event_patterns
from .visits.urls import urlpatterns as visit_patterns

app_name = "activities"

urlpatterns = [*visit_patterns, *event_patterns]
