from datetime import timedelta

from picketline.jobs.schedule import every
from picketline.letters import replies, sending


@every(timedelta(seconds=20))
def send_letters() -> None:
    """Single letters whose slot has come go to the outbox; digests go once a day."""
    sending.queue_due()
    sending.send_digests()


@every(timedelta(hours=1))
def ask_about_replies() -> None:
    """Fourteen days after a letter went out, its writer is asked whether anyone replied."""
    replies.ask_about_replies()
