"""Small checks of user input shared by the apps."""

BIGINT_MAX = 2**63 - 1


def plain_id(raw) -> int | None:
    """`raw` as an id when it is written in ASCII digits and fits PostgreSQL's bigint, else None.

    `str.isdigit()` alone lets "²" through, which int() then refuses (a 500), and a 20-digit number
    overflows the database's integer.
    """
    text = str(raw)
    if not (text.isascii() and text.isdigit()):
        return None
    value = int(text)
    return value if value <= BIGINT_MAX else None
