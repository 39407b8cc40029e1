"""WeChat template messages (模板消息) from the chamber's Official Account (公众号), by plain HTTP.

Two calls of the documented API: ``GET /cgi-bin/token`` (an access token for about two hours,
kept in the shared cache so every worker uses the same one) and ``POST
/cgi-bin/message/template/send``. The base address is ``WECHAT_API_BASE`` so the tests run both
against a local stand-in server. Off unless ``WECHAT_MP_APP_ID``, ``WECHAT_MP_APP_SECRET`` and a
template id are set.
"""

import json
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings
from django.core.cache import cache

TOKEN_CACHE_KEY = "notifications:wechat:token"
TIMEOUT = 10  # seconds per call
# errcodes: the token is bad or expired (fetch a new one and try again once); the person does
# not follow the account (nothing to retry).
TOKEN_ERRORS = {40001, 40014, 42001}
NOT_FOLLOWING = 43004
# Not an openid of this account (a PC QR login gives the Open Platform app's openid): no retry.
PERMANENT = {NOT_FOLLOWING, 40003}


class WechatError(Exception):
    """A call that failed; ``permanent`` when trying again cannot help."""

    def __init__(self, message, *, permanent=False):
        super().__init__(message)
        self.permanent = permanent


def configured() -> bool:
    return bool(
        settings.WECHAT_MP_APP_ID
        and settings.WECHAT_MP_APP_SECRET
        and (settings.WECHAT_MP_TEMPLATES or settings.WECHAT_MP_DEFAULT_TEMPLATE)
    )


def template_for(kind: str) -> str:
    return settings.WECHAT_MP_TEMPLATES.get(kind) or settings.WECHAT_MP_DEFAULT_TEMPLATE


def _call(path: str, *, query: dict, body: dict | None = None) -> dict:
    url = settings.WECHAT_API_BASE.rstrip("/") + path + "?" + urllib.parse.urlencode(query)
    data = None
    headers = {}
    if body is not None:
        data = json.dumps(body, ensure_ascii=False).encode()
        headers["Content-Type"] = "application/json; charset=utf-8"
    request = urllib.request.Request(url, data=data, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            answer = json.loads(response.read().decode() or "{}")
    except (OSError, ValueError) as error:  # URLError and timeouts are OSErrors
        raise WechatError(f"{path}: {error}") from error
    if not isinstance(answer, dict):
        raise WechatError(f"{path}: unexpected answer")
    return answer


def access_token(*, fresh: bool = False) -> str:
    token = None if fresh else cache.get(TOKEN_CACHE_KEY)
    if token:
        return token
    answer = _call(
        "/cgi-bin/token",
        query={
            "grant_type": "client_credential",
            "appid": settings.WECHAT_MP_APP_ID,
            "secret": settings.WECHAT_MP_APP_SECRET,
        },
    )
    token = answer.get("access_token")
    if not token:
        raise WechatError(f"token: {answer.get('errcode')} {answer.get('errmsg', '')}".strip())
    # Refresh five minutes early; WeChat's tokens last expires_in seconds (7200).
    lifetime = max(60, int(answer.get("expires_in") or 7200) - 300)
    cache.set(TOKEN_CACHE_KEY, token, lifetime)
    return token


def send_template(openid: str, template_id: str, data: dict, url: str = "") -> str:
    """Send one template message; return WeChat's msgid. Raises ``WechatError``."""
    body = {
        "touser": openid,
        "template_id": template_id,
        "data": {name: {"value": value} for name, value in data.items()},
    }
    if url:
        body["url"] = url
    for attempt in (1, 2):
        answer = _call(
            "/cgi-bin/message/template/send",
            query={"access_token": access_token(fresh=attempt == 2)},
            body=body,
        )
        code = int(answer.get("errcode") or 0)
        if code == 0:
            return str(answer.get("msgid", ""))
        if code in TOKEN_ERRORS and attempt == 1:
            cache.delete(TOKEN_CACHE_KEY)
            continue
        raise WechatError(f"{code} {answer.get('errmsg', '')}".strip(), permanent=code in PERMANENT)
    raise WechatError("token refused twice")
