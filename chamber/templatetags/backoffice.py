from django import template

from chamber.backoffice import task_groups

register = template.Library()


@register.simple_tag(takes_context=True)
def backoffice_groups(context, app_list):
    """The admin home's tables grouped by the secretary's tasks (chamber.backoffice)."""
    return task_groups(context["request"], app_list)
