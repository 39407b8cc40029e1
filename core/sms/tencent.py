"""Tencent Cloud SMS (腾讯云短信, API 2021-01-11 SendSms) through its official SDK.

Settings (from the environment, README "短信与微信"): SMS_TENCENT_SECRET_ID,
SMS_TENCENT_SECRET_KEY, SMS_TENCENT_SDK_APP_ID (the SMS application's SdkAppId),
SMS_TENCENT_REGION (default ap-guangzhou), SMS_TENCENT_ENDPOINT (default
sms.tencentcloudapi.com; a URL with http:// is allowed, for a stand-in), plus the shared
SMS_SIGN_NAME and SMS_TEMPLATE_<KEY>. The SDK signs each request (TC3-HMAC-SHA256); Tencent's
templates number their variables ({1}, {2}), so our parameters go in the template's order.
"""

from django.conf import settings

from . import TEMPLATES, SmsError, SmsMessage
from .base import ProviderBackend, split_endpoint


class TencentBackend(ProviderBackend):
    def __init__(self):
        super().__init__()
        from tencentcloud.common import credential
        from tencentcloud.common.profile.client_profile import ClientProfile
        from tencentcloud.common.profile.http_profile import HttpProfile
        from tencentcloud.sms.v20210111.sms_client import SmsClient

        secret_id = getattr(settings, "SMS_TENCENT_SECRET_ID", "")
        secret_key = getattr(settings, "SMS_TENCENT_SECRET_KEY", "")
        self.app_id = getattr(settings, "SMS_TENCENT_SDK_APP_ID", "")
        if not secret_id or not secret_key or not self.app_id:
            raise SmsError(
                "SMS_TENCENT_SECRET_ID/SECRET_KEY/SDK_APP_ID are not set", code="not_configured"
            )
        protocol, host = split_endpoint(
            getattr(settings, "SMS_TENCENT_ENDPOINT", "") or "sms.tencentcloudapi.com"
        )
        http = HttpProfile(protocol=protocol, endpoint=host, reqTimeout=10)
        self.client = SmsClient(
            credential.Credential(secret_id, secret_key),
            getattr(settings, "SMS_TENCENT_REGION", "") or "ap-guangzhou",
            ClientProfile(httpProfile=http),
        )

    def send(self, message: SmsMessage) -> str:
        from tencentcloud.common.exception.tencent_cloud_sdk_exception import (
            TencentCloudSDKException,
        )
        from tencentcloud.sms.v20210111 import models

        request = models.SendSmsRequest()
        request.PhoneNumberSet = [f"+86{message.mobile}"]
        request.SmsSdkAppId = self.app_id
        request.SignName = self.sign_name
        request.TemplateId = self.template_code(message)
        request.TemplateParamSet = [
            message.params[name] for name in TEMPLATES[message.template].params
        ]
        try:
            response = self.client.SendSms(request)
        except TencentCloudSDKException as error:
            raise SmsError(f"Tencent SMS failed: {error}", code=error.code or "") from error
        except Exception as error:  # its HTTP stack's or the network's
            raise SmsError(f"Tencent SMS failed: {error}") from error
        statuses = response.SendStatusSet or []
        if not statuses:
            raise SmsError("Tencent SMS answered no status", code="no_status")
        status = statuses[0]
        if status.Code != "Ok":
            raise SmsError(f"Tencent SMS refused: {status.Code} {status.Message}", code=status.Code)
        return status.SerialNo or response.RequestId or ""
