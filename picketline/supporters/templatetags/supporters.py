from django import template

from picketline.supporters.abuse import new_pow_challenge

register = template.Library()


@register.inclusion_tag("supporters/_pow.html")
def proof_of_work() -> dict[str, str]:
    """Hidden fields and our script for the optional proof of work; put it inside a form.
    Without JavaScript the fields stay empty and the form works as always."""
    return {"pow_challenge": new_pow_challenge()}
