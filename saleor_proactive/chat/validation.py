"""What a chat message or an offline email may hold; each refusal names its field and problem."""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_MESSAGE_CHARS = 2000
MAX_EMAIL_CHARS = 254
# Controls (C0 but tab and newline, DEL, C1) have no place in a typed message; unpaired
# surrogates cannot be stored as UTF-8.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
# Deliberately loose: one @, no spaces or controls, a dot in the domain. The mail server decides.
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


@dataclass
class ChatInputError(Exception):
    field: str
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


def clean_message(value: object, field: str = "body") -> str:
    """The message as stored: CRLF made LF, outer whitespace trimmed; refused when unfit."""
    if not isinstance(value, str):
        raise ChatInputError(field, "invalid", "The message must be a string.")
    text = value.replace("\r\n", "\n").strip()
    if not text:
        raise ChatInputError(field, "empty", "The message is empty.")
    if len(text) > MAX_MESSAGE_CHARS:
        raise ChatInputError(
            field, "too_long", f"The message is longer than {MAX_MESSAGE_CHARS} characters."
        )
    if _CONTROL.search(text):
        raise ChatInputError(field, "control_characters", "The message holds control characters.")
    return text


def clean_email(value: object, field: str = "email") -> str:
    if not isinstance(value, str):
        raise ChatInputError(field, "invalid", "The email must be a string.")
    email = value.strip()
    if len(email) > MAX_EMAIL_CHARS or _CONTROL.search(email) or not _EMAIL.fullmatch(email):
        raise ChatInputError(field, "invalid_email", "This is not an email address.")
    return email
