"""Error types of majlis: each message is one line naming the file (or line) and the problem."""


class MajlisError(Exception):
    """A problem with the user's input or environment, reported as one line without a traceback."""


class InputError(MajlisError):
    """An input file cannot be used."""
