"""A small typed client for the shop's JSON API, used by the end-to-end tests."""
import json
import urllib.error
import urllib.request
import uuid


class Answer:
    def __init__(self, status, headers, body: bytes):
        self.status = status
        self.headers = headers
        self.body = body

    @property
    def json(self):
        return json.loads(self.body)

    @property
    def content_type(self):
        return (self.headers.get("Content-Type") or "").split(";")[0].strip()


def call(base, method, path, body=None, headers=None, timeout=30):
    data = body if isinstance(body, (bytes, type(None))) else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as r:
            return Answer(r.status, r.headers, r.read())
    except urllib.error.HTTPError as e:
        return Answer(e.code, e.headers, e.read())


def order_body(window, product, quantity=1, note="With love"):
    return {
        "items": [{"product": product, "quantity": quantity}],
        "customer": {"name": "Anna Petrova", "phone": "+7 495 123-45-67", "email": "anna@example.com"},
        "recipient": {"name": "Olga Ivanova", "phone": "+7 916 555-12-34", "address": "Tverskaya 7, flat 12, Moscow"},
        "deliveryWindow": window,
        "cardMessage": note,
    }


def place(base, body, key=None, store="petals", timeout=30):
    headers = {"Content-Type": "application/json", "Idempotency-Key": key or str(uuid.uuid4())}
    return call(base, "POST", f"/api/v1/stores/{store}/orders", body, headers, timeout=timeout)
