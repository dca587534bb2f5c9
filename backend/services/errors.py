"""Errors the domain raises; the task layer maps them to task outcomes."""


class InvalidInputError(Exception):
    """The input can never be processed (corrupt file, bad rule...): do not retry.

    The message is shown to the user as the task's ``error_message``, so it must
    be safe and helpful: say what is wrong, never include secrets or internals. The
    worker logs it at WARNING without a traceback (the user's error, not a bug of ours;
    ``TrackedTask.throws``); any other exception is logged at ERROR with its traceback.

    ``retryable``: the task cannot go on now, but a later run of the same input can (the
    stored upload went missing, a volume not mounted): no automatic retry, and the failed
    task says that running it again can help (``task_status.retryable``).
    """

    def __init__(self, message: str = "", *, retryable: bool = False) -> None:
        super().__init__(message)
        self.retryable = retryable


class TransientError(Exception):
    """A temporary failure (a service briefly away): the task is retried."""
