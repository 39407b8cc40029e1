from .flag import demo_loaded


def demo_banner(request):
    """``DEMO_DATA``: whether the pages carry the demo banner."""
    return {"DEMO_DATA": demo_loaded()}
