from django import template
from django.utils.safestring import SafeString

from picketline.dashboard import charts
from picketline.dashboard.figures import Figure

register = template.Library()


@register.simple_tag
def figure_table(figure: Figure, caption: str) -> SafeString:
    """A figure's numbers as a table, captioned."""
    return charts.table(caption, figure.columns, figure.rows)
