"""Demo: the organiser role groups. Nothing personal: supporters come from visitors only."""

from picketline.lib.demo_dates import DemoDates
from picketline.supporters.roles import ensure_roles


def load(dates: DemoDates) -> None:
    ensure_roles()
