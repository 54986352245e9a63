"""Errors that carry a message meant for the user (shown as one line, never a traceback)."""


class SiamTrackError(Exception):
    """Base class for problems caused by input the user can fix."""


class SourceError(SiamTrackError):
    """A video, image folder or camera cannot be opened or read."""


class BoxError(SiamTrackError):
    """A box is empty, not finite, or does not overlap the frame."""


class WeightsError(SiamTrackError):
    """A weights or checkpoint file is missing, corrupt or of an unknown kind."""


class FormatError(SiamTrackError):
    """An annotation, sequence or project file cannot be parsed."""
