"""core.sms: the interface every sender uses, and the console backend."""

import pytest

from core.sms import SmsError, send_sms, sms_configured


def test_console_backend_prints_one_line_with_number_and_text(settings, capsys):
    settings.SMS_BACKEND = "core.sms.console.ConsoleBackend"
    message_id = send_sms("+86 138-1234-5678", "login_code", {"code": "123456", "minutes": "5"})
    out = capsys.readouterr().out
    assert out == "[SMS] 13812345678 您的登录验证码为123456，5分钟内有效。如非本人操作，请忽略本短信。\n"
    assert message_id.startswith("console-")
    assert not sms_configured()


@pytest.mark.parametrize("mobile", ["", "12345", "1381234567", "23812345678", "138123456789"])
def test_a_number_that_is_not_a_mainland_mobile_is_refused(mobile, capsys):
    with pytest.raises(SmsError):
        send_sms(mobile, "login_code", {"code": "1", "minutes": "5"})
    assert capsys.readouterr().out == ""


def test_unknown_template_or_wrong_params_is_a_programming_error():
    with pytest.raises(ValueError):
        send_sms("13812345678", "no_such", {})
    with pytest.raises(ValueError):
        send_sms("13812345678", "login_code", {"code": "1"})


def test_a_provider_backend_counts_as_configured(settings):
    settings.SMS_BACKEND = "core.sms.aliyun.AliyunBackend"
    assert sms_configured()
