"""Word wrapping for terminal output."""
import re


def _wrap_paragraph(words, room, indent):
    lines = []
    current = ""
    for word in words:
        while len(word) > room:
            if current:
                lines.append(current)
                current = ""
            lines.append(word[:room])
            word = word[room:]
        if not word:
            continue
        if not current:
            current = word
        elif len(current) + 1 + len(word) <= room:
            current += " " + word
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return [indent + line for line in lines]


def wrap(text, width, indent=""):
    """Greedy word wrap: paragraphs kept, whitespace collapsed, long words split."""
    if isinstance(width, bool) or not isinstance(width, int) or width <= len(indent):
        raise ValueError("width must be an int greater than the indent's length")
    paragraphs = [p.split() for p in re.split(r"\n[ \t\r\f\v]*\n\s*", text.strip()) if p.strip()]
    return "\n\n".join("\n".join(_wrap_paragraph(words, width - len(indent), indent)) for words in paragraphs)
