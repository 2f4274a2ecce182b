from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistersConfig(AppConfig):
    name = "picketline.registers"
    label = "registers"
    verbose_name = _("Registers")

    def ready(self) -> None:
        from picketline.campaigns import mentions
        from picketline.registers.mentions import expand_people

        # What campaign texts and letters say of a person comes from the register.
        mentions.register(expand_people)

        from picketline.registers.models import Person
        from picketline.web import orphans

        # A replaced or deleted person's photo does not stay behind.
        orphans.register_file_field(Person, "photo")
