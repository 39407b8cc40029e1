"""A member finds their company's donations on /me/ and prints an acknowledgement."""

import datetime
import re
from decimal import Decimal
from pathlib import Path

import pytest

from tests.charity.factories import CampaignFactory, DonationFactory, PairingFactory, VillageFactory
from tests.factories import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SCREENS = Path(__file__).resolve().parents[2] / "artifacts" / "screens" / "charity"


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit], form input[type=submit]").first.click()
    page.wait_for_load_state()


def test_member_opens_their_donations_and_prints_the_acknowledgement(page, live_server, member):
    company = member.person.company
    campaign = CampaignFactory(name="缘聚徐练 商续慈善")
    DonationFactory(
        company=company,
        campaign=campaign,
        amount=Decimal("4250000.00"),
        receipt_number="YJ2017-001",
        donated_on=datetime.date(2017, 4, 18),
    )
    PairingFactory(beneficiary=VillageFactory(name="东庄村"), companies=[company])
    SCREENS.mkdir(parents=True, exist_ok=True)

    log_in(page, live_server, "member")
    page.goto(f"{live_server.url}/me/")
    section = page.locator("section", has_text="本企业捐赠")
    assert "4,250,000.00" in section.inner_text()
    assert "东庄村" in section.inner_text()
    page.screenshot(path=str(SCREENS / "browser-me.png"), full_page=True)

    section.get_by_role("link", name="确认函").first.click()
    page.wait_for_load_state()
    letter = page.locator("article.letter").inner_text()
    assert "捐赠确认函" in letter
    assert "人民币肆佰贰拾伍万元整" in letter
    assert "¥4,250,000.00" in letter
    assert "YJ2017-001" in letter
    assert company.name in letter
    assert page.locator("button[data-print]").is_visible()  # the script showed it

    page.emulate_media(media="print")
    assert not page.locator(".site-nav").is_visible()
    page.screenshot(path=str(SCREENS / "browser-acknowledgement-print.png"), full_page=True)
    pdf = SCREENS / "acknowledgement.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    content = pdf.read_bytes()
    assert content.startswith(b"%PDF")
    assert re.findall(rb"/Count\s+(\d+)", content) == [b"1"]  # one A4 page
