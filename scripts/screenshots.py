"""Screenshot the main pages for each demo login, at desktop and phone width.

    python scripts/screenshots.py [--base http://127.0.0.1:8000] [--out artifacts/screens/tour]

Needs a running server with the demo data (`make run`) and Debian's chromium.
"""

import argparse
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TOUR = {
    "secretary": [
        "/",
        "/companies/",
        "/leadership/",
        "/rules/",
        "/admin/",
        "/admin/members/company/",
    ],
    "president": ["/", "/companies/?q=shj"],
    "leader": ["/", "/companies/", "/companies/?industry=logistics"],
    "supervisor": ["/", "/admin/members/company/"],
    "member": ["/", "/companies/", "/leadership/", "/rules/"],
}
WIDTHS = {"desktop": (1280, 900), "phone": (375, 812)}


def slug(path: str) -> str:
    return path.strip("/").replace("/", "-").replace("?", "-").replace("=", "-") or "home"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--out", default="artifacts/screens/tour")
    parser.add_argument("--password", default="chamber-demo")
    options = parser.parse_args()
    out = Path(options.out)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for username, paths in TOUR.items():
            for label, (width, height) in WIDTHS.items():
                context = browser.new_context(
                    locale="zh-CN", viewport={"width": width, "height": height}
                )
                page = context.new_page()
                page.goto(f"{options.base}/accounts/login/")
                page.fill("input[name=login]", username)
                page.fill("input[name=password]", options.password)
                page.locator("main form button[type=submit]").first.click()
                page.wait_for_load_state()
                for path in paths:
                    page.goto(options.base + path)
                    page.screenshot(
                        path=str(out / f"{username}-{slug(path)}-{label}.png"), full_page=True
                    )
                context.close()
        browser.close()
    print(f"screenshots in {out}")


if __name__ == "__main__":
    main()
