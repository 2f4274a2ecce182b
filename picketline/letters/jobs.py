from datetime import timedelta

from picketline.jobs.schedule import every
from picketline.letters import sending


@every(timedelta(seconds=20))
def send_letters() -> None:
    """Single letters whose slot has come go to the outbox; digests go once a day."""
    sending.queue_due()
    sending.send_digests()
