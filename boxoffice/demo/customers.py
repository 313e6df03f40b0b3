"""The simulator's customer records and the validation of a customer body (create or update).

Pure data and rules: the state machine (state.py) keeps the customers under its lock and turns
the errors returned here into a 422 answer.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable

CUSTOMER_FIELDS = {
    # field -> maximum length (UserResource mirrors the create fields)
    "customerFirstName": 255, "customerLastName": 255, "customerSalutation": 1,
    "customerPreposition": 255, "customerAddress": 255, "customerHouseNr": 20,
    "customerZip": 10, "customerCity": 255, "customerCountry": 255, "customerPhone": 255,
    "customerCredit": 255,
}
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")


@dataclass
class Customer:
    customer_id: int
    email: str
    fields: dict[str, Any]
    last_changed: datetime
    client_types: list[str] = field(default_factory=list)


def validate_customer(body: dict[str, Any], *, creating: bool, current: Customer | None,
                      by_email: Callable[[str], Customer | None]) -> dict[str, list[str]]:
    """Field -> error texts for a create (``creating``) or an update of ``current``; empty when
    the body is valid. ``by_email`` finds an existing customer (e-mail addresses are unique)."""
    errors: dict[str, list[str]] = {}
    email = body.get("email")
    if creating or "email" in body:
        if not isinstance(email, str) or not EMAIL_RE.match(email.strip()):
            errors["email"] = ["The email must be a valid email address."]
        else:
            other = by_email(email)
            if other is not None and other is not current:
                errors["email"] = ["The email has already been taken."]
    for name in ("customerFirstName", "customerLastName"):
        if creating and not (isinstance(body.get(name), str) and body[name].strip()):
            errors[name] = [f"The {name} field is required."]
    for name, max_len in CUSTOMER_FIELDS.items():
        if name not in body or body[name] is None or name in errors:
            continue
        value = body[name]
        if not isinstance(value, str):
            errors[name] = [f"The {name} must be a string."]
        elif len(value) > max_len:
            errors[name] = [f"The {name} may not be greater than {max_len} characters."]
        elif name == "customerPhone" and not value.isdigit():
            errors[name] = ["The customerPhone must contain digits only."]
        elif name == "customerCredit" and not re.fullmatch(r"-?\d+(\.\d{1,2})?", value):
            errors[name] = ["The customerCredit must be a decimal with at most 2 decimals."]
    return errors
