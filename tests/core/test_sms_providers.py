"""The Alibaba Cloud and Tencent Cloud backends, through their official SDKs, against local
stand-ins that check the signature and payload as each provider documents."""

import json

import pytest

from core.sms import SmsError, send_sms

from .sms_standins import AliyunStandIn, TencentStandIn

PARAMS = {"title": "年终联谊会", "time": "12月8日 14:00"}


@pytest.fixture
def aliyun(settings):
    with AliyunStandIn("LTAI-test-key", "aliyun-secret", refuse={"13900000000"}) as stand_in:
        settings.SMS_BACKEND = "core.sms.aliyun.AliyunBackend"
        settings.SMS_ALIYUN_ACCESS_KEY_ID = "LTAI-test-key"
        settings.SMS_ALIYUN_ACCESS_KEY_SECRET = "aliyun-secret"
        settings.SMS_ALIYUN_ENDPOINT = stand_in.url
        settings.SMS_SIGN_NAME = "徐泾商会"
        settings.SMS_TEMPLATE_CODES = {"event_cancelled": "SMS_480001"}
        yield stand_in


@pytest.fixture
def tencent(settings):
    with TencentStandIn("AKID-test", "tencent-secret", refuse={"+8613900000000"}) as stand_in:
        settings.SMS_BACKEND = "core.sms.tencent.TencentBackend"
        settings.SMS_TENCENT_SECRET_ID = "AKID-test"
        settings.SMS_TENCENT_SECRET_KEY = "tencent-secret"
        settings.SMS_TENCENT_SDK_APP_ID = "1400009099"
        settings.SMS_TENCENT_ENDPOINT = stand_in.url
        settings.SMS_SIGN_NAME = "徐泾商会"
        settings.SMS_TEMPLATE_CODES = {"event_cancelled": "449739"}
        yield stand_in


def test_aliyun_sends_a_signed_request_with_the_template_and_its_params(aliyun):
    message_id = send_sms("13812345678", "event_cancelled", PARAMS)
    assert message_id.endswith("^0")
    [request] = aliyun.requests
    params = request["params"]
    assert params["PhoneNumbers"] == "13812345678"
    assert params["SignName"] == "徐泾商会"
    assert params["TemplateCode"] == "SMS_480001"
    assert json.loads(params["TemplateParam"]) == PARAMS


def test_aliyun_refusal_is_an_sms_error(aliyun):
    with pytest.raises(SmsError) as error:
        send_sms("13900000000", "event_cancelled", PARAMS)
    assert error.value.code == "isv.BUSINESS_LIMIT_CONTROL"


def test_aliyun_wrong_secret_fails_the_signature_check(aliyun, settings):
    settings.SMS_ALIYUN_ACCESS_KEY_SECRET = "not-the-secret"
    with pytest.raises(SmsError) as error:
        send_sms("13812345678", "event_cancelled", PARAMS)
    assert error.value.code == "SignatureDoesNotMatch"
    assert aliyun.requests == []


def test_tencent_sends_a_signed_request_with_params_in_template_order(tencent):
    message_id = send_sms("13812345678", "event_cancelled", PARAMS)
    assert message_id.startswith("2433:")
    [request] = tencent.requests
    payload = request["payload"]
    assert payload["PhoneNumberSet"] == ["+8613812345678"]
    assert payload["SmsSdkAppId"] == "1400009099"
    assert payload["SignName"] == "徐泾商会"
    assert payload["TemplateId"] == "449739"
    assert payload["TemplateParamSet"] == ["年终联谊会", "12月8日 14:00"]
    assert request["headers"]["x-tc-region"] == "ap-guangzhou"


def test_tencent_refusal_is_an_sms_error(tencent):
    with pytest.raises(SmsError) as error:
        send_sms("13900000000", "event_cancelled", PARAMS)
    assert error.value.code == "FailedOperation.PhoneNumberInBlacklist"


def test_tencent_wrong_secret_fails_the_signature_check(tencent, settings):
    settings.SMS_TENCENT_SECRET_KEY = "not-the-secret"
    with pytest.raises(SmsError) as error:
        send_sms("13812345678", "event_cancelled", PARAMS)
    assert error.value.code == "AuthFailure.SignatureFailure"
    assert tencent.requests == []


@pytest.mark.parametrize("backend", ["aliyun", "tencent"])
def test_a_template_without_a_provider_code_is_not_sent(backend, request):
    stand_in = request.getfixturevalue(backend)
    with pytest.raises(SmsError) as error:
        send_sms("13812345678", "login_code", {"code": "123456", "minutes": "5"})
    assert error.value.code == "not_configured"
    assert stand_in.requests == []


def test_unreachable_provider_is_an_sms_error(settings):
    settings.SMS_BACKEND = "core.sms.tencent.TencentBackend"
    settings.SMS_TENCENT_SECRET_ID = "AKID-test"
    settings.SMS_TENCENT_SECRET_KEY = "s"
    settings.SMS_TENCENT_SDK_APP_ID = "1"
    settings.SMS_TENCENT_ENDPOINT = "http://127.0.0.1:9"
    settings.SMS_SIGN_NAME = "徐泾商会"
    settings.SMS_TEMPLATE_CODES = {"event_cancelled": "449739"}
    with pytest.raises(SmsError):
        send_sms("13812345678", "event_cancelled", PARAMS)
