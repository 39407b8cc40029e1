import datetime

import pytest
from django.core.exceptions import ValidationError

from core.spreadsheets import parse_date
from members.validators import normalize_mobile, validate_credit_code, validate_mobile

# Published codes: the example and the one in python-stdnum's documentation.
PUBLISHED_CODES = ["91350100M000100Y43", "91110000600037341L"]
# And, with a check character computed for them, other authorities and types GB 32100 lists:
# a 事业单位, a 律师事务所, a 基金会, a 宗教活动场所, a 基层工会, a 个体工商户.
OTHER_AUTHORITIES = ["12", "31", "53", "71", "81", "92"]


@pytest.mark.parametrize("code", PUBLISHED_CODES)
def test_published_credit_codes_are_valid(code):
    validate_credit_code(code)


@pytest.mark.parametrize("prefix", OTHER_AUTHORITIES)
def test_every_authority_and_type_of_the_standard_is_valid(prefix):
    from stdnum.cn import uscc

    body = prefix + "350100M000100Y4"
    validate_credit_code(body + uscc.calc_check_digit(body))


def test_lower_case_and_spaces_are_tolerated():
    validate_credit_code(" 91350100m000100y43 ")


@pytest.mark.parametrize(
    ("code", "code_name", "fragment"),
    [
        ("91350100M000100Y42", "credit_code_checksum", "3"),
        ("91350100M00010", "credit_code_length", "14"),
        ("91350100M000100Y4300", "credit_code_length", "20"),
        ("9135010OM000100Y43", "credit_code_charset", "O"),
        ("91350100I000100Y43", "credit_code_charset", "I"),
        ("", "credit_code_length", "0"),
    ],
)
def test_wrong_credit_codes_say_what_is_wrong(code, code_name, fragment):
    with pytest.raises(ValidationError) as excinfo:
        validate_credit_code(code)
    error = excinfo.value
    assert error.code == code_name
    assert fragment in str(error.message % error.params)


@pytest.mark.parametrize(
    "code",
    [
        "A1350100M000100Y42",  # a letter where the authority and type digits go
        "9135010AM000100Y4K",  # a letter in the six-digit administrative region code
    ],
)
def test_a_right_check_character_does_not_make_a_wrong_format_valid(code):
    """Each code ends in the check character its first 17 require: only the format is wrong."""
    with pytest.raises(ValidationError) as excinfo:
        validate_credit_code(code)
    assert excinfo.value.code == "credit_code_invalid"


def test_wrong_check_character_names_the_expected_one():
    with pytest.raises(ValidationError) as excinfo:
        validate_credit_code("91350100M000100Y4X")
    error = excinfo.value
    assert error.params == {"actual": "X", "expected": "3"}


# Each has the right check character for its first 17 characters, so only the format rules of
# GB 32100-2015 refuse it: the registration-authority code (position 1), the organisation-type
# code (2) and the administrative division (3-8) are digits here, never letters.
FORMAT_BREAKING_CODES = [
    "B1350100M000100Y41",  # authority code B does not exist
    "X1350100M000100Y4E",  # nor X
    "9A350100M000100Y47",  # organisation type is a digit
    "91A50100M000100Y42",  # the division is six digits
    "9135010AM000100Y4K",
    "01350100M000100Y4C",  # authority code 0 does not exist
    "94350100M000100Y4R",  # 工商 registers no organisation type 4
    "50350100M000100Y4A",  # 民政 has no type 0
    "24350100M000100Y41",  # 外交 has types 1 and 9 only
]


@pytest.mark.parametrize("code", FORMAT_BREAKING_CODES)
def test_a_right_check_character_does_not_save_a_wrong_format(code):
    from stdnum.cn import uscc

    assert uscc.calc_check_digit(code[:17]) == code[-1]
    with pytest.raises(ValidationError) as excinfo:
        validate_credit_code(code)
    assert excinfo.value.code == "credit_code_invalid"


@pytest.mark.parametrize("letter", ["I", "O", "S", "V", "Z"])
def test_the_letters_never_used_are_refused_wherever_they_stand(letter):
    for position in (8, 12, 16):
        code = "91350100M000100Y4"[:position] + letter + "91350100M000100Y4"[position + 1 :]
        with pytest.raises(ValidationError) as excinfo:
            validate_credit_code(code + "0")
        assert excinfo.value.code == "credit_code_charset"
        assert letter in str(excinfo.value.message % excinfo.value.params)


@pytest.mark.parametrize("mobile", ["13812345678", "19912345678", "15000000000"])
def test_mainland_mobiles_are_valid(mobile):
    validate_mobile(mobile)


@pytest.mark.parametrize(
    "mobile", ["1381234567", "138123456789", "12812345678", "23812345678", "1381234567a", ""]
)
def test_wrong_mobiles_are_refused(mobile):
    with pytest.raises(ValidationError):
        validate_mobile(mobile)


def test_mobile_prefixes_and_separators_are_dropped():
    assert normalize_mobile("+86 138-1234-5678") == "13812345678"
    assert normalize_mobile("0086 13812345678") == "13812345678"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-05-01", datetime.date(2024, 5, 1)),
        ("2024/5/1", datetime.date(2024, 5, 1)),
        ("2024.05.01", datetime.date(2024, 5, 1)),
        ("2024年5月1日", datetime.date(2024, 5, 1)),
        ("2024 年 05 月 01 日", datetime.date(2024, 5, 1)),
        (datetime.datetime(2024, 5, 1, tzinfo=datetime.UTC), datetime.date(2024, 5, 1)),
        ("", None),
        (None, None),
    ],
)
def test_dates_are_read_as_people_write_them(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["2024-13-01", "2024年2月30日", "next week", "2024-5"])
def test_impossible_dates_are_refused(text):
    with pytest.raises(ValidationError):
        parse_date(text)


def test_date_form_fields_accept_the_chinese_form(settings):
    from django import forms
    from django.utils import translation

    class Form(forms.Form):
        on = forms.DateField()

    for language in ("zh-hans", "en"):
        with translation.override(language):
            form = Form({"on": "2024年5月1日"})
            assert form.is_valid(), form.errors
            assert form.cleaned_data["on"] == datetime.date(2024, 5, 1)
