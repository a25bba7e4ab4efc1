"""The one error type parsing raises for input it cannot read. Its message is for people."""


class SnapshotError(ValueError):
    """A snapshot (file) that cannot be parsed at all; the message says why and what to do."""


class NoListing(SnapshotError):
    """A file with no paper listing in it at all ("no paper listing found: ..."), as opposed to a
    listing that cannot be taken as given (another day's, several days'): a reader with another
    rendering of the same file (an e-mail's other part, an HTML page's shown text) tries it."""
