"""Screenshots of each persona's home and main tasks at 375 px and 1280 px.

Run against a server with the demo data (``seed_demo``):
    python scripts/persona_screens.py http://127.0.0.1:8000 artifacts/screens/phone/after
Uses Debian's Chromium (never ``playwright install``).
"""

import re
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

PASSWORD = "chamber-demo"
PAGES = {
    "member": ["/", "/me/", "/calendar/", "event", "/problems/raise/", "/inbox/", "/me/company/"],
    "leader": ["/", "/visits/", "/visits/new/", "/problems/", "/calendar/"],
    "president": ["/", "/dashboard/", "/visits/compliance/", "/problems/", "four-goods"],
    "secretary": ["/", "/problems/", "/visits/compliance/", "/development/", "/dues/arrears/"],
    "supervisor": ["/", "/problems/", "/visits/compliance/"],
    # Who applies to join has no account.
    None: ["/join/"],
}
WIDTHS = {
    "375": dict(
        viewport={"width": 375, "height": 812},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    ),
    "1280": dict(viewport={"width": 1280, "height": 900}),
}


def slug(path):
    return re.sub(r"[^a-z0-9]+", "-", path).strip("-") or "home"


def main(base, out):
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
        )
        for persona, paths in PAGES.items():
            for width, options in WIDTHS.items():
                context = browser.new_context(locale="zh-CN", **options)
                page = context.new_page()
                if persona:
                    page.goto(f"{base}/accounts/login/")
                    page.fill("input[name=login]", persona)
                    page.fill("input[name=password]", PASSWORD)
                    page.locator("form button[type=submit]").first.click()
                    page.wait_for_load_state()
                for path in paths:
                    if path == "four-goods":
                        # This year's report, as the dashboard links it.
                        page.goto(f"{base}/dashboard/")
                        path = page.locator("main a[href^='/reports/four-goods/']").first
                        path = path.get_attribute("href")
                        name = "four-goods"
                    elif path == "event":
                        page.goto(f"{base}/calendar/")
                        href = page.evaluate(
                            "[...document.querySelectorAll('a')].map(a => a.getAttribute('href'))"
                            ".find(h => /^\\/events\\/\\d+\\/$/.test(h || ''))"
                        )
                        if not href:
                            continue
                        path = href
                        name = "event"
                    else:
                        name = slug(path)
                    page.goto(f"{base}{path}")
                    page.wait_for_load_state("networkidle")
                    shot = out / f"{persona or 'anonymous'}-{name}-{width}.png"
                    page.screenshot(path=str(shot), full_page=True)
                    if path == "/visits/new/":
                        # The slip: a problem without a category, then 保存.
                        company = page.locator("select[name=company] option").nth(1)
                        if company.count():
                            page.select_option(
                                "select[name=company]", company.get_attribute("value")
                            )
                        page.fill("textarea[name=summary]", "与总经理座谈。")
                        text = page.locator("textarea[name$='description']").first
                        if text.count():
                            text.fill("道路施工影响货车进出")
                            page.locator("main form button[type=submit]").last.click()
                            page.wait_for_load_state("networkidle")
                            page.screenshot(path=str(out / f"{persona}-visit-slip-{width}.png"))
                context.close()
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
