"""Validators for the values a chamber's records carry: credit codes and mobiles."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_exceptions
from stdnum.cn import uscc

CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
# GB 32100-2015 appendix A: each registration authority (first character) and the
# organisation types (second character) it registers. python-stdnum checks only that both are
# digits (and so refuses the authorities A, N and Y, which no member company has).
ORGANISATION_TYPES = {
    "1": "1239",  # 机构编制: 机关, 事业单位, 群众团体, 其他
    "2": "19",  # 外交
    "3": "123459",  # 司法行政: 律师事务所, 公证处, 基层法律服务所, 司法鉴定机构, 仲裁委员会
    "4": "19",  # 文化
    "5": "1239",  # 民政: 社会团体, 民办非企业单位, 基金会, 其他
    "6": "129",  # 旅游
    "7": "129",  # 宗教
    "8": "19",  # 工会
    "9": "123",  # 工商: 企业, 个体工商户, 农民专业合作社
}
MOBILE_RE = re.compile(r"^1[3-9][0-9]{9}$")  # ASCII digits only: \d admits ٣ and ８


def normalize_credit_code(value: str) -> str:
    """Upper-case a credit code and drop the spaces and dashes people type into it; full-width
    letters and digits become plain ones (NFKC)."""
    return re.sub(r"[\s\-]", "", unicodedata.normalize("NFKC", value or "")).upper()


def validate_credit_code(value: str) -> None:
    """Check a 统一社会信用代码 against GB 32100-2015 and say what is wrong with it."""
    code = normalize_credit_code(value)
    if len(code) != 18:
        raise ValidationError(
            _("A unified social credit code has 18 characters; this one has %(length)d."),
            code="credit_code_length",
            params={"length": len(code)},
        )
    bad = sorted({ch for ch in code if ch not in CREDIT_CODE_ALPHABET})
    if bad:
        raise ValidationError(
            _(
                "A unified social credit code may not contain %(chars)s "
                "(the letters I, O, S, V and Z are never used)."
            ),
            code="credit_code_charset",
            params={"chars": "、".join(bad)},
        )
    try:
        uscc.validate(code)
    except stdnum_exceptions.InvalidChecksum:
        expected = uscc.calc_check_digit(code[:17])
        raise ValidationError(
            _(
                "The check character of this unified social credit code is wrong: "
                "it ends in %(actual)s, but the first 17 characters require %(expected)s."
            ),
            code="credit_code_checksum",
            params={"actual": code[-1], "expected": expected},
        ) from None
    except stdnum_exceptions.ValidationError:
        raise ValidationError(
            _("This is not a valid unified social credit code."), code="credit_code_invalid"
        ) from None
    if code[1] not in ORGANISATION_TYPES.get(code[0], ""):
        raise ValidationError(
            _("This is not a valid unified social credit code."), code="credit_code_invalid"
        )


def normalize_mobile(value: str) -> str:
    """Drop spaces, dashes and a +86 prefix from a mobile number; full-width digits typed on a
    phone's Chinese keyboard become ASCII (NFKC)."""
    mobile = re.sub(r"[\s\-]", "", unicodedata.normalize("NFKC", value or ""))
    if mobile.startswith("+86"):
        mobile = mobile[3:]
    elif mobile.startswith("0086"):
        mobile = mobile[4:]
    return mobile


def validate_mobile(value: str) -> None:
    """A mainland China mobile number: 11 digits starting 13-19."""
    if not MOBILE_RE.match(value or ""):
        raise ValidationError(
            _("Enter an 11-digit mainland mobile number starting with 13–19, e.g. 13812345678."),
            code="mobile",
        )
