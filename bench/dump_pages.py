"""Write every benchmarked page, as its persona sees it, to a JSON file, to compare two versions.

    DATABASE_URL=… .venv/bin/python bench/dump_pages.py OUT.json          (in each checkout)
    .venv/bin/python bench/dump_pages.py --compare BEFORE.json AFTER.json

A cache must not change what a page says: run it in the checkout before a change and in the one
after, on the same database, and compare. Whitespace is collapsed and CSRF tokens blanked; the
admin lists are left out (their rows carry dates of the request).
"""

import difflib
import json
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def dump(out: str) -> None:
    sys.path.insert(0, str(ROOT))
    from bench import production_environment

    os.environ.update(production_environment())
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from bench.run import PAGES
    from chamber.models import User

    call_command("collectstatic", "--noinput", verbosity=0)
    pages = {}
    for page in PAGES:
        if page.kind == "ceiling" or not page.persona or page.label.startswith("admin"):
            continue
        client = Client(HTTP_X_FORWARDED_PROTO="https", HTTP_HOST="127.0.0.1")
        client.force_login(User.objects.get(username=page.persona))
        html = client.get(page.url(), secure=True).content.decode()
        html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "CSRF", html)
        pages[page.label] = re.sub(r"\s+", " ", html)
    Path(out).write_text(json.dumps(pages, ensure_ascii=False, indent=0))


def compare(before: str, after: str) -> int:
    old, new = (json.loads(Path(name).read_text()) for name in (before, after))
    differ = 0
    for label in sorted(old.keys() | new.keys()):
        a = old.get(label, "").replace("><", ">\n<").splitlines()
        b = new.get(label, "").replace("><", ">\n<").splitlines()
        if a == b:
            print(f"same  {label}")
            continue
        differ += 1
        print(f"DIFF  {label}")
        for line in list(difflib.unified_diff(a, b, lineterm="", n=0))[2:12]:
            print(f"      {line[:160]}")
    return 1 if differ else 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--compare"]:
        sys.exit(compare(sys.argv[2], sys.argv[3]))
    dump(sys.argv[1])
