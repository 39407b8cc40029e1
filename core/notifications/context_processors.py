from django.utils.functional import SimpleLazyObject


def inbox(request):
    """``inbox_unread``: the user's unread messages, counted only where a template shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from .service import unread_count

    return {"inbox_unread": SimpleLazyObject(lambda: unread_count(user))}
