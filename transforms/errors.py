"""The one error type parsing raises for input it cannot read. Its message is for people."""


class SnapshotError(ValueError):
    """A snapshot (file) that cannot be parsed at all; the message says why and what to do."""
