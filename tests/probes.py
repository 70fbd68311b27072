"""Shared by the tests that check a page offers an action exactly when its service accepts it."""

from django.db import transaction


class _Undo(Exception):
    pass


def service_accepts(call, *, refusal: type[Exception]) -> bool:
    """Did the service accept `call`? Nothing it wrote is kept; a refusal must be the service's 409 (the action
    conflicts with the current status), never another error."""
    try:
        with transaction.atomic():
            call()
            raise _Undo
    except _Undo:
        return True
    except refusal as refused:
        assert refused.status == 409
        return False
