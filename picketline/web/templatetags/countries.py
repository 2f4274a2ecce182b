from django import template

from picketline.web.countries import country_name as name_of

register = template.Library()


@register.filter
def country_name(code: str) -> str:
    """``{{ item.country|country_name }}``: the country's name in the page's language."""
    return name_of(code) if code else ""
