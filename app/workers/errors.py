"""Turning an exception raised in a worker into the one line the user is shown."""

from __future__ import annotations

import logging

from core.errors import SiamTrackError

log = logging.getLogger("siamtrack.app")


def describe_error(error: BaseException) -> str:
    """User errors keep their own message; anything else is logged with its traceback and named by type."""
    if isinstance(error, SiamTrackError):
        return str(error)
    log.error("unexpected error in a worker", exc_info=error)
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
