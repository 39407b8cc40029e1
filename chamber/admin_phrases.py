"""Django's own admin phrases as a Chinese secretary should read them.

Django's zh_Hans catalog is a literal translation ("删除所选的 会员企业", "选择 X 来修改",
"你确定吗？", "动作", "取消选中 X" for a delete button). Naming the msgids here puts them in
the project's catalog (``makemessages`` reads ``gettext_noop``), whose translations come
before Django's (LOCALE_PATHS). Nothing imports this module. The phrases the JavaScript
shows (the selection counter, "Add another …" under an inline) are in
``locale/zh_Hans/LC_MESSAGES/djangojs.po``. tests/chamber/test_admin_phrases.py renders the
pages and lists the phrases that must not come back.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

PHRASES = [
    # Change lists and their actions.
    gettext_noop("Select %s to change"),
    gettext_noop("Select %s to view"),
    gettext_noop("Action:"),
    gettext_noop("Run the selected action"),
    gettext_noop("Delete selected %(verbose_name_plural)s"),
    gettext_noop("Successfully deleted %(count)d %(items)s."),
    gettext_noop(
        "Items must be selected in order to perform actions on them. No items have been changed."
    ),  # noqa: E501
    gettext_noop("No action selected."),
    gettext_noop("Select all %(total_count)s %(module_name)s"),
    gettext_noop("Clear selection"),
    gettext_noop("0 of %(cnt)s selected"),
    gettext_noop("Filter"),
    gettext_noop("Show all"),
    # Forms.
    gettext_noop("Add %s"),
    gettext_noop("Change %s"),
    gettext_noop("View %s"),
    gettext_noop("View on site"),
    gettext_noop("Add another %(verbose_name)s"),
    gettext_noop("Add another %(model)s"),
    gettext_noop("Change selected %(model)s"),
    gettext_noop("Delete selected %(model)s"),
    gettext_noop("View selected %(model)s"),
    gettext_noop("The {name} “{obj}” was added successfully."),
    gettext_noop("The {name} “{obj}” was added successfully. You may add another {name} below."),
    gettext_noop("The {name} “{obj}” was added successfully. You may edit it again below."),
    gettext_noop("The {name} “{obj}” was changed successfully."),
    gettext_noop("The {name} “{obj}” was changed successfully. You may edit it again below."),
    gettext_noop("The {name} “{obj}” was changed successfully. You may add another {name} below."),
    gettext_noop("The %(name)s “%(obj)s” was deleted successfully."),
    # Deleting.
    gettext_noop("Are you sure?"),
    gettext_noop("Cannot delete %(name)s"),
    gettext_noop(
        "Deleting the %(object_name)s '%(escaped_object)s' would require deleting the "
        "following protected related objects:"
    ),
    gettext_noop(
        "Deleting the %(object_name)s '%(escaped_object)s' would result in deleting related "
        "objects, but your account doesn't have permission to delete the following types of "
        "objects:"
    ),
    gettext_noop(
        'Are you sure you want to delete the %(object_name)s "%(escaped_object)s"? All of the '
        "following related items will be deleted:"
    ),
    gettext_noop("Delete multiple objects"),
    gettext_noop(
        "Deleting the selected %(objects_name)s would require deleting the following "
        "protected related objects:"
    ),
    gettext_noop(
        "Deleting the selected %(objects_name)s would result in deleting related objects, but "
        "your account doesn't have permission to delete the following types of objects:"
    ),
    gettext_noop(
        "Are you sure you want to delete the selected %(objects_name)s? All of the following "
        "objects and their related items will be deleted:"
    ),
    gettext_noop("Objects"),
    gettext_noop("Yes, I’m sure"),
    gettext_noop("No, take me back"),
    gettext_noop("Delete?"),
    # Accounts (the fields of Django's user).
    gettext_noop("staff status"),
    gettext_noop("superuser status"),
    # History.
    gettext_noop("Change history: %s"),
    gettext_noop("Action"),
    gettext_noop("Date/time"),
    gettext_noop("History"),
]

PLURAL_PHRASES = [
    ngettext_lazy("%(total_count)s selected", "All %(total_count)s selected", 1),
    ngettext_lazy(
        "%(count)s %(name)s was changed successfully.",
        "%(count)s %(name)s were changed successfully.",
        1,
    ),
    ngettext_lazy("Please correct the error below.", "Please correct the errors below.", 1),
]
