"""Money as Decimal: to the fen, with thousands separators, in 万元, and in capitals."""

from decimal import Decimal

import pytest
from django.utils import translation

from charity.money import format_wan, format_yuan, rmb_capitals, yuan


@pytest.mark.parametrize(
    "amount, capitals",
    [
        ("0", "零元整"),
        ("0.05", "伍分"),
        ("10.00", "拾元整"),
        ("1000000.01", "壹佰万元零壹分"),
        ("4250000", "肆佰贰拾伍万元整"),
    ],
)
def test_the_amounts_the_issue_lists_are_written_in_capitals_as_on_a_receipt(amount, capitals):
    assert rmb_capitals(Decimal(amount)) == capitals


@pytest.mark.parametrize(
    "amount, capitals",
    [
        ("0.50", "伍角"),
        ("0.55", "伍角伍分"),
        ("15.00", "拾伍元整"),
        ("110.00", "壹佰壹拾元整"),
        ("1001.01", "壹仟零壹元零壹分"),
        ("1680.32", "壹仟陆佰捌拾元叁角贰分"),
        ("10010", "壹万零壹拾元整"),
        ("100000", "拾万元整"),
        ("105000", "拾万伍仟元整"),
        ("2036500", "贰佰零叁万陆仟伍佰元整"),
        ("100001000", "壹亿零壹仟元整"),
        ("100000001", "壹亿零壹元整"),
        ("120000000", "壹亿贰仟万元整"),
        ("999999999999.99", "玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
    ],
)
def test_zeros_inside_an_amount_are_read_once_and_a_leading_ten_is_shi(amount, capitals):
    assert rmb_capitals(Decimal(amount)) == capitals


# The amounts where a writer of receipts slips: a 零 before a group under 1000 (10,500 is
# 壹万零伍佰, not 壹万伍佰), one 零 for a run of zeros across groups, none before 万/亿 that
# close a run, a leading 壹拾 read 拾, and the 零 before fen when the jiao are zero.
@pytest.mark.parametrize(
    "amount, capitals",
    [
        ("10500", "壹万零伍佰元整"),
        ("30080", "叁万零捌拾元整"),
        ("100005", "拾万零伍元整"),
        ("1000000", "壹佰万元整"),
        ("1000100", "壹佰万零壹佰元整"),
        ("1010000", "壹佰零壹万元整"),
        ("1010", "壹仟零壹拾元整"),
        ("11000", "壹万壹仟元整"),
        ("50050005", "伍仟零伍万零伍元整"),
        ("200000500", "贰亿零伍佰元整"),
        ("10000000000", "壹佰亿元整"),
        ("10050.05", "壹万零伍拾元零伍分"),
        ("1100000.01", "壹佰壹拾万元零壹分"),
        ("20000.50", "贰万元伍角"),
        ("100.10", "壹佰元壹角"),
        ("10.50", "拾元伍角"),
        ("10.05", "拾元零伍分"),
        ("0.50", "伍角"),
    ],
)
def test_tricky_amounts_are_written_as_a_bank_reads_them(amount, capitals):
    assert rmb_capitals(Decimal(amount)) == capitals


def test_capitals_refuse_negative_amounts_and_floats():
    with pytest.raises(ValueError):
        rmb_capitals(Decimal("-1"))
    with pytest.raises(TypeError):
        rmb_capitals(10.0)


def test_amounts_are_quantized_to_the_fen_and_grouped_by_thousands():
    assert yuan(None) == Decimal("0.00")
    assert yuan(Decimal("0.30000000000000004")) == Decimal("0.30")
    assert format_yuan(Decimal("4250000")) == "4,250,000.00"
    assert format_yuan(Decimal("1234567.891")) == "1,234,567.89"
    # Half a fen rounds up, as on a receipt (not to the even fen, Decimal's default).
    assert yuan(Decimal("0.125")) == Decimal("0.13")
    assert yuan(Decimal("2.345")) == Decimal("2.35")


def test_large_sums_read_in_wan_yuan_and_say_so_when_rounded():
    with translation.override("zh-hans"):
        assert format_wan(Decimal("4250000")) == "425万元"
        assert format_wan(Decimal("2036500")) == "203.65万元"
        assert format_wan(Decimal("12345678.90")) == "约1,234.57万元"
