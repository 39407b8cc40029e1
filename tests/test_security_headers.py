"""Every page carries a Content-Security-Policy, and none of ours has an inline script."""

import re

import pytest
from django.urls import reverse

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)


@pytest.mark.parametrize(
    ("persona", "url_name"),
    [
        ("", "account_login"),
        ("", "account_reset_password"),
        ("member", "chamber:home"),
        ("member", "members:company_list"),
        ("member", "members:me"),
        ("member", "chamber:leadership"),
        ("member", "chamber:rules"),
        ("secretary", "chamber:home"),
        ("secretary", "admin:index"),
        ("secretary", "admin:members_company_changelist"),
        ("secretary", "admin:members_company_add"),
        ("secretary", "admin:members_company_import"),
    ],
)
def test_pages_have_a_strict_script_policy_and_no_inline_scripts(
    client, request, persona, url_name
):
    if persona:
        client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("style-src")[0]
    assert "frame-ancestors 'none'" in policy
    html = response.content.decode()
    # JSON data blocks (type="application/json") are not scripts and are allowed.
    scripts = [tag for tag in INLINE_SCRIPT.findall(html) if "application/json" not in tag]
    assert scripts == []
    assert EVENT_HANDLER.findall(html) == []
