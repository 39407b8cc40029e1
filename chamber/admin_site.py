"""The back office's admin site: Django's, except that the list of every app and table the
user may see is built only for a page that shows it.

Django's ``AdminSite.each_context()`` builds that list (``get_app_list``: each registered
model's permissions and addresses) for every admin page, for the navigation sidebar, which
this site turns off (chamber/urls.py); on a change list it was a quarter of the time. Here
``available_apps`` is computed when a template first reads it (the sidebar, if turned on),
and the index and app pages build their own ``app_list`` as Django's do.

It is the default site (``admin.site``) through ``ChamberAdminConfig``, which stands for
``django.contrib.admin`` in INSTALLED_APPS.
"""

import functools

from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.sites import AdminSite
from django.utils.functional import SimpleLazyObject


class ChamberAdminSite(AdminSite):
    def each_context(self, request):
        """Django's context for every admin page, ``available_apps`` computed on first use.
        Its keys are Django's (tests/chamber/test_admin_site.py compares them)."""
        script_name = request.META["SCRIPT_NAME"]
        site_url = script_name if self.site_url == "/" and script_name else self.site_url
        return {
            "site_title": self.site_title,
            "site_header": self.site_header,
            "site_url": site_url,
            "has_permission": self.has_permission(request),
            "available_apps": SimpleLazyObject(functools.partial(self.get_app_list, request)),
            "is_popup": False,
            "is_nav_sidebar_enabled": self.enable_nav_sidebar,
            "log_entries": self.get_log_entries(request),
        }


class ChamberAdminConfig(AdminConfig):
    default_site = "chamber.admin_site.ChamberAdminSite"
