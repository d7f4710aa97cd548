"""Schemathesis check for what the OpenAPI document cannot say about a valid order.

A body can fit the document and still name a product the shop does not have, a delivery window that is gone or
closed, a waiting-list hold that has run out, or an Idempotency-Key already used with another order. The shop
refuses those with 422 (or 410 for the hold), and schemathesis.toml lets `positive_data_acceptance` pass them for
`placeOrder`. This check keeps that exception narrow: any other 422 for a body that fits the document (a phone,
a name, an address the document allows and the shop refuses) still fails the run.

One more gap is the document's own: JSON Schema counts code points, the shop counts characters as people see
them. An address of five code points where an accent, a joiner or a skin tone joins the character before it is
fewer than five characters; the document says so in words, and only such an address may be "too short".
"""
import json
import re
import unicodedata

import schemathesis

# The transaction's refusals: what the order names is not there (or not for this address), not a field's form.
REFERENCE_FIELDS = re.compile(r"^(items\[\d+\]\.product|deliveryWindow)$")
POSTCODE_REQUIRED = "Enter the postcode of the delivery address"
TOO_SHORT = "This looks too short"


def _joins_a_neighbour(char: str) -> bool:
    """Whether `char` can share one user-perceived character with the one next to it (Unicode UAX #29)."""
    code = ord(char)
    return (
        unicodedata.category(char) in ("Mn", "Mc", "Me", "Cf")
        or 0x1100 <= code <= 0x11FF  # Hangul jamo
        or 0x1F1E6 <= code <= 0x1F1FF  # regional indicators
        or 0x1F3FB <= code <= 0x1F3FF  # skin tones
    )


def _excused(error: dict, body: dict) -> bool:
    field, message = error.get("field", ""), error.get("message", "")
    if REFERENCE_FIELDS.match(field):
        return True
    if field == "recipient.postcode" and message.startswith(POSTCODE_REQUIRED):
        return True
    if field == "recipient.address" and message.startswith(TOO_SHORT):
        address = (body.get("recipient") or {}).get("address", "")
        return isinstance(address, str) and any(_joins_a_neighbour(char) for char in address)
    return False


@schemathesis.check
def valid_order_refused_only_for_what_it_names(ctx, response, case):
    """A schema-valid order is refused with 422 only for the data it names, and with 410 only for a hold that is gone."""
    meta = case.meta
    if case.operation.method.upper() != "POST" or not case.operation.path.endswith("/orders"):
        return None
    if meta is None or not meta.generation.mode.is_positive or response.status_code not in (410, 422):
        return None
    try:
        problem = json.loads(response.content)
    except ValueError:
        raise AssertionError(f"{response.status_code} without a problem+json body") from None
    if response.status_code == 410:
        if problem.get("type") != "urn:floodgate:problem:hold-expired":
            raise AssertionError(f"410 for a valid order that is not hold-expired: {problem}")
        return None
    if problem.get("type") == "urn:floodgate:problem:idempotency-key-reused":
        return None
    if not isinstance(case.body, dict):
        # The document's order is an object: anything else is not a body it allows, whatever the case's label says.
        return None
    body = case.body
    errors = problem.get("errors") or []
    if not errors or not all(_excused(error, body) for error in errors):
        raise AssertionError(f"A body the document allows was refused: {problem.get('detail')}")
    return None
