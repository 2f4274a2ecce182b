"""Demo: the organiser role groups (the demo has no supporters: they come from visitors only)."""

from picketline.accounts.roles import ensure_roles
from picketline.lib.demo_dates import DemoDates


def load(dates: DemoDates) -> None:
    ensure_roles()
