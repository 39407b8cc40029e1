"""A local stand-in for WeChat's API (token and template-message endpoints), and a person
reachable on every channel."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest
from allauth.socialaccount.models import SocialAccount
from django.core.cache import cache

from core.notifications import wechat
from tests.activities.events.factories import EventFactory
from tests.factories import PersonFactory, UserFactory


class WechatStandIn(BaseHTTPRequestHandler):
    """Answers as api.weixin.qq.com does: a token for the right app id and secret, and a
    msgid for a template message with a valid token (errcode 40001 otherwise; 43004 for an
    openid that does not follow the account)."""

    server_version = "WechatStandIn"

    def log_message(self, *args):
        pass

    def _answer(self, payload):
        body = json.dumps(payload).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        url = urlparse(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        state = self.server.state
        state["calls"].append(("GET", url.path, query, None))
        if url.path != "/cgi-bin/token":
            return self._answer({"errcode": 404, "errmsg": "not found"})
        if query.get("appid") != "wx-app" or query.get("secret") != "wx-secret":
            return self._answer({"errcode": 40013, "errmsg": "invalid appid"})
        state["issued"] += 1
        token = f"token-{state['issued']}"
        state["valid"].add(token)
        return self._answer({"access_token": token, "expires_in": 7200})

    def do_POST(self):
        url = urlparse(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length).decode())
        state = self.server.state
        state["calls"].append(("POST", url.path, query, body))
        if state["fail"]:
            state["fail"] -= 1
            self.send_response(502)
            self.end_headers()
            return
        if query.get("access_token") not in state["valid"]:
            return self._answer({"errcode": 40001, "errmsg": "invalid credential"})
        if body.get("touser") in state["unfollowed"]:
            return self._answer({"errcode": 43004, "errmsg": "require subscribe"})
        state["sent"].append(body)
        return self._answer({"errcode": 0, "errmsg": "ok", "msgid": 1000 + len(state["sent"])})


@pytest.fixture
def wechat_api(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), WechatStandIn)
    server.state = {"calls": [], "sent": [], "valid": set(), "issued": 0, "fail": 0}
    server.state["unfollowed"] = set()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.WECHAT_API_BASE = f"http://127.0.0.1:{server.server_address[1]}"
    settings.WECHAT_MP_APP_ID = "wx-app"
    settings.WECHAT_MP_APP_SECRET = "wx-secret"
    settings.WECHAT_MP_DEFAULT_TEMPLATE = "tpl-default"
    settings.WECHAT_MP_TEMPLATES = {"event_cancelled": "tpl-cancelled"}
    cache.delete(wechat.TOKEN_CACHE_KEY)
    yield server.state
    server.shutdown()
    server.server_close()
    cache.delete(wechat.TOKEN_CACHE_KEY)


@pytest.fixture
def sms_console(settings):
    settings.SMS_BACKEND = "core.sms.console.ConsoleBackend"
    settings.NOTIFY_SMS_TO_CONSOLE = True


@pytest.fixture
def wang(db):
    """A member with an account, an email address, a mobile and WeChat linked."""
    person = PersonFactory(name="王丽", email="wang.li@example.com", mobile="13912345678")
    user = UserFactory(username="wang", person=person)
    SocialAccount.objects.create(user=user, provider="weixin", uid="openid-wang")
    return user


@pytest.fixture
def event(db):
    return EventFactory(title="政策宣讲会", venue="徐泾镇商会会议室")
