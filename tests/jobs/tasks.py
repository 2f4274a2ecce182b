"""Tasks for the worker's tests: one that queues a mail (as confirmations do), one that fails."""

from django_tasks import task

from picketline.mail.models import OutgoingMessage


@task()
def queue_a_mail(address: str) -> None:
    OutgoingMessage.queue(to=[address], subject="Hello", text="From a task", kind="test")


@task()
def fail() -> None:
    raise RuntimeError("this task always fails")
