"""Safe HTML for notices and spotlights, through nh3 (the Rust ammonia sanitizer).

Staff type plain text or a little HTML in the admin. Only the tags and attributes below
survive: no scripts, event handlers, styles, images, frames or ``javascript:`` links. Text is
cleaned when it is saved and again when it is shown, so a row written some other way (a
shell, an import) cannot put anything else on a page.
"""

import html
import re

import nh3
from django.utils.html import escape, linebreaks, strip_tags
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = frozenset(
    {
        "p",
        "br",
        "strong",
        "b",
        "em",
        "i",
        "u",
        "ul",
        "ol",
        "li",
        "a",
        "h2",
        "h3",
        "h4",
        "blockquote",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
    }
)
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "th": {"colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
# Whether the text holds markup at all; plain text gets paragraphs from its line breaks.
MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>")
# Where a block ends, plain text gets a line break.
BLOCK_END = re.compile(r"<br\s*/?>|</(?:p|li|h[1-6]|blockquote|tr|th|td|table|ul|ol)\s*>", re.I)


def clean_html(text: str) -> str:
    """The text with only the allowed tags and attributes; links get rel="noopener
    noreferrer". Plain text (no tags) is kept as it is."""
    text = text or ""
    if not MARKUP.search(text):
        return text
    return nh3.clean(
        text,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def render_html(text: str) -> SafeString:
    """Text ready for a page: sanitized HTML, or plain text in paragraphs."""
    text = text or ""
    if not MARKUP.search(text):
        return mark_safe(linebreaks(escape(text)))
    return mark_safe(clean_html(text))


def html_to_text(text: str) -> str:
    """Plain text of (clean) HTML for search and previews: a line per paragraph, list item,
    heading or table cell."""
    text = BLOCK_END.sub("\n", text or "")
    lines = (" ".join(line.split()) for line in html.unescape(strip_tags(text)).splitlines())
    return "\n".join(line for line in lines if line)
