"""The one spelling of an e-mail address that accounts are keyed by."""

from __future__ import annotations

import unicodedata

from email_validator import EmailNotValidError, validate_email

# Longer than any address (RFC 5321 caps one at 254 octets): the sign-in form's username
# may be anything up to MAX_REQUEST_BODY_KB, and is checked before any rate limit applies.
MAX_EMAIL_LENGTH = 320


def canonical_email(text: str) -> str | None:
    """``text`` as accounts store and look up addresses, or None when it is no address.

    email-validator's normalized form (the one pydantic's ``EmailStr`` gives registration:
    NFC, the domain in Unicode from IDNA's ASCII form or full-width letters), lower-cased.
    Registration, sign-in and ADMIN_EMAILS all go through here: sign-in used to lower-case
    only, so an address registered as ``anne\\u0301@…``, ``…@xn--bcher-kva.de`` or with a
    full-width letter could not sign in with the very text it registered with.
    """
    if len(text) > MAX_EMAIL_LENGTH:  # no address, and validating 1 MB takes ~1 s of CPU
        return None
    try:
        normalized = validate_email(text, check_deliverability=False).normalized
    except EmailNotValidError:
        return None
    return unicodedata.normalize("NFC", normalized.lower())
