from unittest import mock

from django.db import OperationalError, connection
from django.urls import reverse


def test_healthz_reports_ok_without_login(client, db):
    response = client.get(reverse("chamber:healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_reports_503_while_the_database_is_down_and_recovers(client, db):
    with mock.patch.object(
        connection, "ensure_connection", side_effect=OperationalError("connection refused")
    ):
        response = client.get(reverse("chamber:healthz"))
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unavailable"}

    response = client.get(reverse("chamber:healthz"))
    assert response.status_code == 200
    assert response.json()["database"] == "ok"
