from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportersConfig(AppConfig):
    name = "picketline.supporters"
    label = "supporters"
    verbose_name = _("Supporters and consent")

    def ready(self) -> None:
        from picketline.mail import composers
        from picketline.supporters import (
            attribution,
            checks,  # noqa: F401 - registers the checks
            flow,
        )
        from picketline.web import cache

        cache.register_query_check(attribution.is_link_given_out)

        composers.register(
            flow.CONFIRMATION_COMPOSER,
            flow.compose_confirmation,
            look_up=flow.look_up_confirmations,
            describe=composers.told_again(flow.compose_confirmation),
        )
        composers.register(
            flow.DONE_ALREADY_COMPOSER,
            flow.compose_done_already,
            look_up=flow.look_up_confirmations,
            describe=composers.told_again(flow.compose_done_already),
        )
        # The two forms that take only an address queue a row for the worker, which looks
        # the address up there, so the request runs the same statements for any address.
        composers.register(flow.RESEND_COMPOSER, flow.compose_resend)
        # (compose_resend queues other mail and drops its own row: nothing to tell again.)
        composers.register(
            flow.PRIVACY_LINK_COMPOSER,
            flow.compose_privacy_link,
            describe=composers.told_again(flow.compose_privacy_link),
        )
