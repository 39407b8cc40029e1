"""The back office's admin site (chamber/admin_site.py): Django's, the list of every app and
table built only for the pages that show it."""

import pytest
from django.contrib import admin
from django.contrib.admin.sites import AdminSite
from django.urls import reverse

from chamber.admin_site import ChamberAdminSite

pytestmark = pytest.mark.django_db


@pytest.fixture
def app_lists_built(monkeypatch):
    """How many times a request built the list of apps and tables."""
    calls = []
    build = ChamberAdminSite._build_app_dict

    def counted(self, request, label=None):
        calls.append(label)
        return build(self, request, label)

    monkeypatch.setattr(ChamberAdminSite, "_build_app_dict", counted)
    return calls


def test_it_is_the_default_site():
    assert isinstance(admin.site._wrapped, ChamberAdminSite)


def test_its_page_context_has_djangos_keys(rf, secretary):
    request = rf.get(reverse("admin:index"))  # the address book loaded (chamber/urls.py)
    request.user = secretary
    ours = admin.site.each_context(request)
    assert set(ours) == set(AdminSite.each_context(admin.site._wrapped, request))
    assert list(ours["available_apps"]) == admin.site.get_app_list(request)


def test_a_change_list_or_form_builds_no_app_list(client, secretary, app_lists_built):
    client.force_login(secretary)
    page = client.get(reverse("admin:members_company_changelist"))
    assert page.status_code == 200
    assert client.get(reverse("admin:members_company_add")).status_code == 200
    assert app_lists_built == []
    # The breadcrumbs still lead to the app's page and the index.
    html = page.content.decode()
    assert f'href="{reverse("admin:app_list", args=["members"])}"' in html
    assert f'href="{reverse("admin:index")}"' in html


def test_the_index_and_an_app_page_list_their_tables_once(client, secretary, app_lists_built):
    client.force_login(secretary)
    page = client.get(reverse("admin:index")).content.decode()
    assert f'href="{reverse("admin:members_company_changelist")}"' in page
    assert app_lists_built == [None]

    app_lists_built.clear()
    page = client.get(reverse("admin:app_list", args=["members"])).content.decode()
    assert f'href="{reverse("admin:members_company_changelist")}"' in page
    assert f'href="{reverse("admin:notices_notice_changelist")}"' not in page
    assert app_lists_built == ["members"]


def test_the_sidebar_when_turned_on_still_lists_the_tables(client, secretary, monkeypatch):
    monkeypatch.setattr(admin.site._wrapped, "enable_nav_sidebar", True)
    client.force_login(secretary)
    page = client.get(reverse("admin:members_company_changelist")).content.decode()
    assert 'id="nav-sidebar"' in page
    assert f'href="{reverse("admin:notices_notice_changelist")}"' in page


def test_a_member_without_the_back_office_sees_no_app_list(client, member):
    client.force_login(member)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302  # to the admin's login
