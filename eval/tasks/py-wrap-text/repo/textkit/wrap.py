"""Word wrapping for terminal output."""


def wrap(text, width, indent=""):
    raise NotImplementedError("wrap is not written yet")
