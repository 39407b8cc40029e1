"""Safe HTML for notices and spotlights, through nh3 (the Rust ammonia sanitizer).

Staff write in the admin's editor (django-prose-editor) or type plain text. Only the tags and
attributes below survive: no scripts, event handlers, styles, frames, ``javascript:`` links
or pictures other than our own uploads (``own_picture``). Text is
cleaned when it is saved and again when it is shown, so a row written some other way (a
shell, an import) cannot put anything else on a page.
"""

import html
import re
from urllib.parse import urlsplit

import nh3
from django.urls import Resolver404, resolve
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
        "img",
        "figure",
        "figcaption",
    }
)
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "th": {"colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "img": {"src", "alt", "width", "height"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
# Whether the text holds markup at all; plain text gets paragraphs from its line breaks.
MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>")
# Where a block ends, plain text gets a line break.
BLOCK_END = re.compile(r"<br\s*/?>|</(?:p|li|h[1-6]|blockquote|tr|th|td|table|ul|ol)\s*>", re.I)


# Pictures come only from the chamber's own uploads: the pictures uploaded in the editor and
# the spotlights' photos, each served by a view that checks who may see it.
PICTURE_VIEWS = frozenset({"notices:editor_image", "notices:spotlight_photo"})


def own_picture(src: str) -> str | None:
    """``src`` if it is the address of one of our uploaded pictures, else None: the pages'
    Content-Security-Policy would block a picture from elsewhere, a picture elsewhere could
    track who reads the notice, and any other address of this site is not a picture."""
    src = src.strip()
    parts = urlsplit(src)
    if parts.scheme or parts.netloc or parts.query or parts.fragment:
        return None
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    return parts.path if match.view_name in PICTURE_VIEWS else None


def keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img":
        if attribute == "src":
            return own_picture(value)
        # No angle brackets in a picture's other attributes, so that SOURCELESS_PICTURE
        # reads each <img …> whole.
        return value.replace("<", "").replace(">", "")
    return value


# A picture whose address was removed: nothing to show, so it goes too.
SOURCELESS_PICTURE = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>")


def clean_html(text: str) -> str:
    """The text with only the allowed tags and attributes; links get rel="noopener
    noreferrer". Plain text (no tags) is kept as it is."""
    text = text or ""
    if not MARKUP.search(text):
        return text
    cleaned = nh3.clean(
        text,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
        attribute_filter=keep_attribute,
    )
    return SOURCELESS_PICTURE.sub("", cleaned)


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
