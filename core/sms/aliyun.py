"""Alibaba Cloud SMS (阿里云短信服务, Dysmsapi 2017-05-25 SendSms) through its official SDK.

Settings (from the environment, README "短信与微信"): SMS_ALIYUN_ACCESS_KEY_ID,
SMS_ALIYUN_ACCESS_KEY_SECRET, SMS_ALIYUN_ENDPOINT (default dysmsapi.aliyuncs.com; a URL with
http:// is allowed, for a stand-in), plus the shared SMS_SIGN_NAME and SMS_TEMPLATE_<KEY>.
The SDK signs each request (ACS3-HMAC-SHA256, its default) and sends our parameters by name
as the template's JSON ``TemplateParam``.
"""

import json
import logging

from django.conf import settings

from . import SmsError, SmsMessage
from .base import ProviderBackend, split_endpoint

logger = logging.getLogger(__name__)


class AliyunBackend(ProviderBackend):
    def __init__(self):
        super().__init__()
        from alibabacloud_dysmsapi20170525.client import Client
        from alibabacloud_tea_openapi.models import Config

        key_id = getattr(settings, "SMS_ALIYUN_ACCESS_KEY_ID", "")
        secret = getattr(settings, "SMS_ALIYUN_ACCESS_KEY_SECRET", "")
        if not key_id or not secret:
            raise SmsError("SMS_ALIYUN_ACCESS_KEY_ID/SECRET are not set", code="not_configured")
        protocol, host = split_endpoint(
            getattr(settings, "SMS_ALIYUN_ENDPOINT", "") or "dysmsapi.aliyuncs.com"
        )
        config = Config(
            access_key_id=key_id,
            access_key_secret=secret,
            endpoint=host,
            protocol=protocol,
            connect_timeout=5000,
            read_timeout=10000,
        )
        self.client = Client(config)

    def send(self, message: SmsMessage) -> str:
        from alibabacloud_dysmsapi20170525.models import SendSmsRequest

        request = SendSmsRequest(
            phone_numbers=message.mobile,
            sign_name=self.sign_name,
            template_code=self.template_code(message),
            template_param=json.dumps(message.params, ensure_ascii=False),
        )
        try:
            body = self.client.send_sms(request).body
        except Exception as error:  # the SDK's own, its HTTP stack's, or the network's
            code = str(getattr(error, "code", "") or "")
            raise SmsError(f"Aliyun SMS failed: {error}", code=code) from error
        if body.code != "OK":
            raise SmsError(f"Aliyun SMS refused: {body.code} {body.message}", code=body.code or "")
        return body.biz_id or body.request_id or ""
