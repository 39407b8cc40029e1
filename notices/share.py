"""Sharing a page to WeChat the way people here do it: a QR code of the page's address, a
poster image with the title, the date, the chamber's name and the QR code, and Open Graph tags
for link previews.

Notices, spotlights and events can be shared. Each kind says how to find the objects a person
may see (the poster of a notice is no more public than the notice), and what its title, date
and description are; ``share_kind_for(obj)`` finds the kind of an object.
"""

import datetime
import functools
import hashlib
import io
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import segno
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageDraw, ImageFont

from core import limits

from .html import html_to_text

logger = logging.getLogger(__name__)

POSTER_SIZE = (750, 1334)
# A drawn poster is kept (keyed by what is drawn on it, so a changed title draws anew) a week;
# one person may have this many drawn a minute (those kept cost nothing).
POSTER_CACHE_SECONDS = 7 * 24 * 3600
POSTERS_DRAWN_PER_MINUTE = 20
DEFAULT_FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
# In Noto's CJK collections the Simplified Chinese face is the third.
SIMPLIFIED_CHINESE_INDEX = 2

RED = (166, 29, 23)
RED_DARK = (138, 23, 18)
GOLD = (243, 217, 160)
INK = (31, 35, 41)
MUTED = (92, 99, 112)
PAPER = (255, 255, 255)
WARM = (251, 242, 241)


@dataclass(frozen=True)
class ShareKind:
    key: str
    label: str
    model_label: str
    visible: Callable  # (roles) -> QuerySet of the objects this person may see
    date: Callable  # (obj) -> date or datetime or None
    description: Callable  # (obj) -> str


def _notice_date(notice):
    return notice.publish_at


def _event_date(event):
    return event.starts_at


def _visible_notices(roles):
    from .models import Notice

    return Notice.objects.visible_to(roles)


def _visible_spotlights(roles):
    from .models import Spotlight

    return Spotlight.objects.visible_to(roles).select_related("company")


def _visible_events(roles):
    from activities.models import Event

    return Event.objects.visible_to(roles)


def _event_description(event) -> str:
    return "\n".join(part for part in [event.venue, event.description] if part)


KINDS = {
    kind.key: kind
    for kind in [
        ShareKind(
            key="notice",
            label=_("Notice"),
            model_label="notices.notice",
            visible=_visible_notices,
            date=_notice_date,
            description=lambda notice: notice.body_text,
        ),
        ShareKind(
            key="spotlight",
            label=_("Enterprise spotlight"),
            model_label="notices.spotlight",
            visible=_visible_spotlights,
            date=lambda spotlight: spotlight.published_on,
            description=lambda spotlight: spotlight.summary or spotlight.story_text,
        ),
        ShareKind(
            key="event",
            label=_("Event"),
            model_label="activities.event",
            visible=_visible_events,
            date=_event_date,
            description=_event_description,
        ),
    ]
}


def share_kind_for(obj) -> ShareKind | None:
    label = obj._meta.label_lower
    return next((kind for kind in KINDS.values() if kind.model_label == label), None)


def share_date(obj) -> datetime.date | datetime.datetime | None:
    """The day of a notice or spotlight; the start (day and time) of an event."""
    kind = share_kind_for(obj)
    value = kind.date(obj) if kind else None
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value)
        return value if kind.key == "event" else value.date()
    return value


def share_description(obj, length: int = 120) -> str:
    """A few lines of the text, one space where a paragraph ends."""
    kind = share_kind_for(obj)
    text = html_to_text(kind.description(obj)) if kind else ""
    return Truncator(" ".join(text.split())).chars(length)


def format_share_date(value) -> str:
    if isinstance(value, datetime.datetime):
        return f"{date_format(value, 'DATE_FORMAT')} {date_format(value, 'l')} {value:%H:%M}"
    return date_format(value, "DATE_FORMAT")


def poster_url(obj) -> str:
    kind = share_kind_for(obj)
    return reverse("notices:share_poster", args=[kind.key, obj.pk])


def qr_svg(url: str, *, title: str = "") -> SafeString:
    """The address as a QR code, inline SVG drawn on the server."""
    return mark_safe(_qr_svg(url, title or gettext("QR code of this page")))


@functools.lru_cache(maxsize=256)  # ~8 KB a code
def _qr_svg(url: str, title: str) -> str:
    # Drawing a code (choosing its mask) costs ~10 ms, half of an event page; the same address
    # and title always draw the same code, so each process draws it once.
    code = segno.make(url, error="m")
    return code.svg_inline(
        scale=4,
        border=4,
        omitsize=True,
        svgclass="share-qr",
        lineclass="share-qr-modules",
        title=title,
    )


# --- The poster ----------------------------------------------------------------------------


class PosterFontMissing(Exception):
    pass


def poster_font_path() -> Path:
    return Path(getattr(settings, "CHAMBER_POSTER_FONT", "") or DEFAULT_FONT)


@functools.lru_cache(maxsize=16)
def _font(path: str, size: int, bold: bool) -> ImageFont.FreeTypeFont:
    if bold:
        bold_path = path.replace("Regular", "Bold")
        if bold_path != path and Path(bold_path).exists():
            path = bold_path
    index = SIMPLIFIED_CHINESE_INDEX if path.lower().endswith(".ttc") else 0
    try:
        return ImageFont.truetype(path, size, index=index)
    except OSError:
        return ImageFont.truetype(path, size)


def font(size: int, *, bold: bool = False):
    """The CJK font at this size. Without it Chinese cannot be drawn: Pillow's own font is
    used (boxes instead of characters) and the error is logged, so the page still works."""
    path = poster_font_path()
    if not path.exists():
        logger.error(
            "The poster font %s is missing: install fonts-noto-cjk or set "
            "CHAMBER_POSTER_FONT to a font with Chinese characters.",
            path,
        )
        return ImageFont.load_default(size)
    return _font(str(path), size, bold)


NO_LINE_START = set("，。、；：！？）》」』】〕”’…—,.;:!?)]}%")


def wrap(text: str, the_font, width: int, max_lines: int) -> list[str]:
    """Lines of at most ``width`` pixels, breaking anywhere (Chinese has no spaces) but
    keeping Latin words whole when they fit; the last line ends in … when text is cut."""
    lines: list[str] = []
    line = ""
    for word in _tokens(text):
        if word == "\n":
            lines.append(line)
            line = ""
            continue
        candidate = line + word
        if the_font.getlength(candidate) <= width or (word in NO_LINE_START and line.strip()):
            # Closing punctuation never starts a line: it hangs at the end of this one.
            line = candidate
            continue
        if line.strip():
            lines.append(line.rstrip())
        line = word.lstrip()
        while the_font.getlength(line) > width:  # a single token wider than the line
            cut = len(line)
            while cut > 1 and the_font.getlength(line[:cut]) > width:
                cut -= 1
            lines.append(line[:cut])
            line = line[cut:]
    if line.strip():
        lines.append(line.rstrip())
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        while last and the_font.getlength(last + "…") > width:
            last = last[:-1]
        lines[-1] = last + "…"
    return lines


def _tokens(text: str):
    """Latin words (with their following space) stay together; every other character is a
    token of its own."""
    word = ""
    for ch in text:
        if ch == "\n":
            if word:
                yield word
                word = ""
            yield "\n"
        elif ch.isascii() and not ch.isspace():
            word += ch
        else:
            if word:
                yield word
                word = ""
            yield ch
    if word:
        yield word


def qr_image(url: str, side: int) -> Image.Image:
    """The QR code as a black-on-white image about ``side`` pixels square (whole pixels per
    module, so that every phone's scanner reads it)."""
    code = segno.make(url, error="m")
    border = 4
    matrix = code.matrix
    modules = len(matrix) + 2 * border
    scale = max(side // modules, 1)
    image = Image.new("1", (modules, modules), 1)
    pixels = image.load()
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                pixels[x + border, y + border] = 0
    return image.resize((modules * scale, modules * scale), Image.Resampling.NEAREST)


def render_poster(
    *,
    title: str,
    url: str,
    kind_label: str,
    date: datetime.date | datetime.datetime | None,
    description: str = "",
) -> bytes:
    """A PNG poster (750×1334, the size phones show full screen) to save and post to a
    WeChat group or Moments: the chamber's name, what it is, the title, the date, a few lines
    of the text, and the QR code of the page."""
    width, height = POSTER_SIZE
    margin = 64
    poster = Image.new("RGB", POSTER_SIZE, PAPER)
    draw = ImageDraw.Draw(poster)

    # The red head with the chamber's name.
    draw.rectangle([0, 0, width, 210], fill=RED)
    draw.rectangle([0, 210, width, 218], fill=GOLD)
    name_font = font(34, bold=True)
    y = 64
    for line in wrap(settings.CHAMBER_NAME, name_font, width - 2 * margin, 2):
        draw.text((margin, y), line, font=name_font, fill=PAPER)
        y += 48
    label_font = font(26)
    label = str(kind_label)
    label_width = int(label_font.getlength(label)) + 36
    draw.rounded_rectangle([margin, y + 10, margin + label_width, y + 52], radius=21, fill=RED_DARK)
    draw.text((margin + 18, y + 14), label, font=label_font, fill=GOLD)

    # Title, date and a few lines of the text.
    y = 280
    title_font = font(50, bold=True)
    for line in wrap(title, title_font, width - 2 * margin, 4):
        draw.text((margin, y), line, font=title_font, fill=INK)
        y += 70
    if date is not None:
        date_font = font(30)
        y += 14
        draw.text((margin, y), format_share_date(date), font=date_font, fill=RED)
        y += 50
    text_font = font(28)
    text = " ".join(description.split())
    room = (860 - 40 - y) // 46
    if text and room > 0:
        y += 24
        for line in wrap(text, text_font, width - 2 * margin, min(room, 5)):
            draw.text((margin, y), line, font=text_font, fill=MUTED)
            y += 46

    # The QR code on a warm band, and what to do with it.
    draw.rectangle([0, 860, width, height], fill=WARM)
    qr = qr_image(url, 330)
    qr_left = (width - qr.width) // 2
    qr_top = 900
    draw.rectangle(
        [qr_left - 10, qr_top - 10, qr_left + qr.width + 10, qr_top + qr.height + 10], fill=PAPER
    )
    poster.paste(qr.convert("RGB"), (qr_left, qr_top))
    hint_font = font(28)
    hint = gettext("Long-press the QR code to open it")
    y = qr_top + qr.height + 34
    draw.text(((width - hint_font.getlength(hint)) / 2, y), hint, font=hint_font, fill=INK)
    foot_font = font(22)
    foot = gettext("%(chamber)s · Chamber workspace") % {"chamber": settings.CHAMBER_NAME}
    foot = wrap(foot, foot_font, width - 2 * margin, 1)[0]
    draw.text(
        ((width - foot_font.getlength(foot)) / 2, height - 60), foot, font=foot_font, fill=MUTED
    )

    out = io.BytesIO()
    poster.save(out, format="PNG", optimize=True)
    return out.getvalue()


def poster_for(
    obj, kind: ShareKind, url: str, *, who: str, description: str | None = None
) -> bytes | None:
    """The poster of ``obj``, drawn once for each version of what it shows and then taken
    from the cache; None when ``who`` (a user, or an address for anonymous visitors of a
    public page) has had ``POSTERS_DRAWN_PER_MINUTE`` drawn this minute. ``description``
    replaces the text's first lines (the public page's summary)."""
    fields = {
        "title": obj.title,
        "url": url,
        "kind_label": str(kind.label),
        "date": share_date(obj),
        "description": share_description(obj, 200) if description is None else description,
    }
    # A poster drawn without its font is drawn again once the font is there.
    font_path = poster_font_path()
    drawn_with = (settings.CHAMBER_NAME, font_path, font_path.exists(), get_language())
    version = repr((sorted(fields.items()), drawn_with))
    digest = hashlib.sha256(version.encode()).hexdigest()[:32]
    key = f"notices:poster:{kind.key}:{obj.pk}:{digest}"
    png = cache.get(key)
    if png is None:
        if not limits.hit(f"poster:{who}", POSTERS_DRAWN_PER_MINUTE, 60):
            return None
        png = render_poster(**fields)
        cache.set(key, png, POSTER_CACHE_SECONDS)
    return png
