"""A system check: the share posters need a font with Chinese characters."""

from django.core import checks

from .share import poster_font_path


@checks.register()
def check_poster_font(app_configs, **kwargs):
    path = poster_font_path()
    if path.exists():
        return []
    return [
        checks.Warning(
            f"The poster font {path} is missing, so share posters will show boxes instead of "
            "Chinese characters.",
            hint="Install fonts-noto-cjk (apt-get install fonts-noto-cjk) or set "
            "CHAMBER_POSTER_FONT to a font file with Chinese characters.",
            id="notices.W001",
        )
    ]
