from allauth.account.decorators import secure_admin_login
from allauth.socialaccount.models import SocialAccount, SocialApp, SocialToken
from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import set_language

from core.files import serve_public_media

from . import login_views, views, wechat

# The admin's login goes through allauth's, so its rate limits apply there too.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = _("Chamber workspace · back office")
admin.site.site_title = _("Chamber workspace")
admin.site.index_title = _("Secretariat")
# The sidebar repeats the index page on every admin page, and costs a third of a change list.
admin.site.enable_nav_sidebar = False

# WeChat's apps come from the environment and its tokens are not kept (chamber/wechat.py):
# allauth's social models stay out of the back office (a person unlinks at /accounts/3rdparty/).
for model in (SocialAccount, SocialApp, SocialToken):
    if admin.site.is_registered(model):
        admin.site.unregister(model)

# A database failure outside the view (session/user loading, session save) answers 503, not 500.
handler500 = "chamber.outage.server_error"

chamber_patterns = [
    path("", views.home, name="home"),
    path("leadership/", views.LeadershipView.as_view(), name="leadership"),
    path("rules/", views.DocumentListView.as_view(), name="rules"),
    path("rules/<int:pk>/", views.DocumentDetailView.as_view(), name="rule_detail"),
    path("rules/<int:pk>/file/", views.rule_file, name="rule_file"),
    path(
        "rules/<int:pk>/versions/<int:version_pk>/file/",
        views.rule_version_file,
        name="rule_version_file",
    ),
    path(
        "rules/<int:pk>/versions/<int:version_pk>/comment/",
        views.rule_comment,
        name="rule_comment",
    ),
    path(
        "rules/<int:pk>/versions/<int:version_pk>/publish/",
        views.rule_version_publish,
        name="rule_version_publish",
    ),
    path("healthz", views.healthz, name="healthz"),
]

urlpatterns = [
    path("", include((chamber_patterns, "chamber"))),
    path("", include("members.urls")),
    path("", include("activities.urls")),
    path("", include("charity.urls")),
    path("", include("notices.urls")),
    path("", include("development.urls")),
    path("", include("reports.urls")),
    path("", include("dues.urls")),
    path("", include("core.notifications.urls")),
    path("accounts/login/code/restart/", login_views.restart_login, name="login_restart"),
    # allauth's WeChat provider, with the app for the browser and off when not set up
    # (chamber.wechat); the same paths as allauth's own, which these shadow.
    path("accounts/weixin/login/", wechat.oauth2_login, name="weixin_login"),
    path("accounts/weixin/login/callback/", wechat.oauth2_callback, name="weixin_callback"),
    path("accounts/wechat/link/", wechat.link, name="wechat_link"),
    path("accounts/wechat/link/cancel/", wechat.cancel_link, name="wechat_link_cancel"),
    path("accounts/", include("allauth.urls")),
    # Switching language is offered on the login page too.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    # Uploaded files in development: like nginx, the public folders only (never private/).
    urlpatterns += static(settings.MEDIA_URL, view=serve_public_media)
