"""Phone numbers, e-mail addresses and web addresses: checking and formatting.

One place decides what a valid contact is, for the validator, print and
lookups alike.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

_EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$"
)
_HOST = re.compile(r"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$")


def is_email(address: str) -> bool:
    """A plausible e-mail address (one @, a dotted domain, no spaces)."""
    return len(address) <= 254 and bool(_EMAIL.match(address))


def url_problem(url: str) -> str | None:
    """Why ``url`` cannot be printed as a link, or None when it is fine.

    Only ``http`` and ``https`` to a real host name: ``javascript:``,
    ``file:``, ``data:`` and the like must never reach a PDF or a terminal.
    """
    if any(c.isspace() for c in url) or any(ord(c) < 32 for c in url):
        return "contains spaces or control characters"
    try:
        parts = urlsplit(url)
    except ValueError:
        return "is not a web address"
    if parts.scheme not in ("http", "https"):
        shown = f"'{parts.scheme}:'" if parts.scheme else "no scheme"
        return f"has {shown}; only http:// and https:// addresses are allowed"
    host = parts.hostname or ""
    if not _HOST.match(host):
        return "has no valid host name"
    if parts.username or parts.password:
        return "contains a user name or password"
    return None


def printed_url(url: str) -> str:
    """A web address as printed: without ``https://`` (browsers add it) and the
    final slash; ``http://`` stays, as typing it matters."""
    shown = url.removeprefix("https://")
    return shown[:-1] if shown.endswith("/") else shown


def parse_phone(number: str, region: str = "FR") -> str | None:
    """The number in E.164 form (``+33612345678``), or None if it is not valid.

    Short service numbers (115, 3919...) are accepted for ``region``.
    """
    import phonenumbers
    from phonenumbers import shortnumberinfo

    try:
        parsed = phonenumbers.parse(number, region)
    except phonenumbers.NumberParseException:
        return None
    if phonenumbers.is_valid_number(parsed):
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    digits = re.sub(r"\D", "", number)
    if (
        not number.strip().startswith("+")
        and len(digits) <= 6
        and shortnumberinfo.is_valid_short_number_for_region(parsed, region)
    ):
        return digits
    return None


def format_phone(number: str, region: str = "FR") -> str:
    """The number written for dialling: national form for ``region``
    (``06 12 34 56 78``), international form otherwise (``+44 20 7946 0000``).

    Digits stay Latin in every language so the number can be dialled.
    """
    import phonenumbers

    e164 = parse_phone(number, region)
    if e164 is None:
        return number
    if not e164.startswith("+"):
        return e164
    parsed = phonenumbers.parse(e164, None)
    if phonenumbers.region_code_for_number(parsed) == region:
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def tel_uri(number: str, region: str = "FR") -> str | None:
    """A ``tel:`` link for the number, or None if it is not valid."""
    e164 = parse_phone(number, region)
    return f"tel:{e164}" if e164 else None
