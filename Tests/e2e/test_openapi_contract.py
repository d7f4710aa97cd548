"""The running server's answers match the OpenAPI document kept in the repository."""
import re
from pathlib import Path

import jsonschema
import yaml
from openapi_spec_validator import validate as validate_spec

from api import call, order_body, place

SPEC_PATH = Path(__file__).resolve().parents[2] / "Sources" / "FloodgateWeb" / "Resources" / "openapi.yaml"


def load_spec():
    spec = yaml.safe_load(SPEC_PATH.read_text())
    validate_spec(spec)
    return spec


def operation(spec, method, path):
    """Finds the documented operation for a concrete path like /stores/petals/products/3."""
    for template, item in spec["paths"].items():
        pattern = "^" + re.sub(r"\{[^}]+\}", "[^/]+", template) + "$"
        if re.match(pattern, path.split("?")[0]) and method.lower() in item:
            return item[method.lower()]
    raise AssertionError(f"{method} {path} is not in the OpenAPI document")


def check(spec, method, path, answer):
    """Asserts the answer's status, media type and body are what the document says."""
    op = operation(spec, method, path[len("/api/v1"):])
    responses = op["responses"]
    assert str(answer.status) in responses, f"{method} {path}: status {answer.status} is not documented"
    response = responses[str(answer.status)]
    if "$ref" in response:
        response = spec["components"]["responses"][response["$ref"].split("/")[-1]]
    media_types = response.get("content", {})
    assert answer.content_type in media_types, f"{method} {path}: {answer.content_type} not in {list(media_types)}"
    schema = dict(media_types[answer.content_type]["schema"])
    schema["components"] = spec["components"]
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(answer.json), key=lambda e: e.path)
    assert not errors, f"{method} {path}: " + "; ".join(f"{list(e.path)}: {e.message}" for e in errors[:5])


def test_served_document_is_the_repository_copy_and_valid(server):
    served = call(server.base, "GET", "/api/v1/openapi.yaml")
    assert served.status == 200
    assert served.body.decode() == SPEC_PATH.read_text()
    load_spec()


def test_answers_match_the_document(server):
    spec = load_spec()
    base = server.base
    checked = 0

    def get(path):
        nonlocal checked
        answer = call(base, "GET", path)
        check(spec, "GET", path, answer)
        checked += 1
        return answer

    get("/api/v1/stores")
    products = get("/api/v1/stores/petals/products").json
    get("/api/v1/stores/greenbox/products")
    get(f"/api/v1/stores/petals/products/{products[0]['id']}")
    get("/api/v1/stores/petals/products/999999")
    get("/api/v1/stores/nowhere/products")
    windows = get("/api/v1/stores/petals/delivery-windows").json
    available = next(p["id"] for p in products if p["available"])
    sold_out = next(p["id"] for p in products if not p["available"])

    orders = "/api/v1/stores/petals/orders"

    def post(body, key="contract-key", headers=None, raw=None):
        nonlocal checked
        h = headers if headers is not None else {"Content-Type": "application/json", "Idempotency-Key": key}
        answer = call(base, "POST", orders, raw if raw is not None else body, h)
        check(spec, "POST", orders, answer)
        checked += 1
        return answer

    good = order_body(windows[0]["id"], available, quantity=2)
    created = post(good)
    assert created.status == 201
    replay = post(good)
    assert replay.status == 201 and replay.json == created.json
    assert post(order_body(windows[0]["id"], available, quantity=3)).status == 422  # key reused
    assert post(good, headers={"Content-Type": "application/json"}).status == 400  # no key
    assert post(None, key="k2", raw=b"{not json").status == 400
    assert post({"items": []}, key="k3").status == 422
    assert post(order_body(windows[0]["id"], sold_out), key="k4").status == 409
    assert post(good, headers={"Content-Type": "text/plain", "Idempotency-Key": "k5"}).status == 415
    assert post(None, key="k6", raw=b'{"cardMessage":"' + b"x" * 70000 + b'"}').status == 413

    number, token = created.json["number"], created.json["token"]
    assert get(f"{orders}/{number}?token={token}").status == 200
    assert get(f"{orders}/{number}?token=nope").status == 404

    # A window filled to the last place answers window-full, also in the documented shape.
    last = windows[1]  # untouched so far: windows[0] took the orders above
    for i in range(last["remaining"]):
        assert place(base, order_body(last["id"], available), key=f"fill-{i}").status == 201
    assert post(order_body(last["id"], available), key="k7").status == 409

    # Zones, the tour list for a postcode, and the full window's waiting list, in their documented shapes.
    get("/api/v1/stores/petals/zones")
    get("/api/v1/stores/petals/delivery-windows?postcode=101000")

    def join(window, body):
        nonlocal checked
        path = f"/api/v1/stores/petals/delivery-windows/{window}/waitlist"
        answer = call(base, "POST", path, body, {"Content-Type": "application/json"})
        check(spec, "POST", path, answer)
        checked += 1
        return answer

    person = {"name": "Irina", "email": "irina@example.com", "phone": "+7 495 111-22-33"}
    joined = join(last["id"], person)
    assert joined.status == 201 and joined.json["email"] == "irina@example.com" and "token" not in joined.json
    # The same address again: the same answer, and still no token (the link goes again by email only).
    again = join(last["id"], {**person, "name": "Someone else"})
    assert again.status == 201 and again.json == joined.json
    assert join(last["id"], {"name": "", "email": "x", "phone": "1"}).status == 422
    assert join(last["id"], {**person, "email": "irina@example.com\r\nBcc: all@example.com"}).status == 422
    assert join(last["id"], {**person, "email": "irina @example.com"}).status == 422
    assert join(windows[2]["id"], person).status == 409  # places left: order instead
    assert join(999999, person).status == 404
    # An order with a hold that is not (or no longer) held is refused as gone.
    gone = order_body(last["id"], available)
    gone["hold"] = "ab" * 16
    assert post(gone, key="k8").status == 410
    assert checked >= 27


def test_admin_answers_match_the_document(data_dir):
    from conftest import Floodgate

    fg = Floodgate(data_dir, ["--admin-token", "contract-admin-token-0123456789abcdef012345"]).start()
    try:
        spec = load_spec()
        auth = {"Authorization": "Bearer contract-admin-token-0123456789abcdef012345"}

        def ask(method, path, body=None, headers=auth):
            answer = call(fg.base, method, path, body, headers=headers)
            check(spec, method, path, answer)
            return answer

        products = call(fg.base, "GET", "/api/v1/stores/petals/products").json
        windows = call(fg.base, "GET", "/api/v1/stores/petals/delivery-windows").json
        assert place(fg.base, order_body(windows[0]["id"], next(p["id"] for p in products if p["available"]))).status == 201
        assert ask("GET", "/api/v1/admin/jobs").status == 200
        assert ask("GET", "/api/v1/admin/jobs", headers={}).status == 401
        assert ask("GET", "/api/v1/admin/jobs/dead").status == 200
        assert ask("GET", "/api/v1/admin/jobs/dead?limit=0").status == 422
        assert ask("POST", "/api/v1/admin/jobs/999999/retry").status == 404
        tasks = ask("GET", "/api/v1/admin/tasks").json
        assert {t["name"] for t in tasks} >= {"prune"}
        assert ask("POST", "/api/v1/admin/tasks/prune/run").status == 200
        import time
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and not call(fg.base, "GET", "/api/v1/admin/tasks/prune/runs", headers=auth).json:
            time.sleep(0.2)
        runs = ask("GET", "/api/v1/admin/tasks/prune/runs").json
        assert runs and runs[0]["trigger"] == "manual"
        assert ask("POST", "/api/v1/admin/tasks/prune/pause").status == 200
        assert next(t for t in ask("GET", "/api/v1/admin/tasks").json if t["name"] == "prune")["lastRun"] is not None
        assert ask("POST", "/api/v1/admin/tasks/prune/resume").status == 200
        assert ask("POST", "/api/v1/admin/tasks/nosuch/pause").status == 404
        assert ask("GET", "/api/v1/admin/receipts").status == 200
        assert ask("GET", "/api/v1/admin/admission").json["enabled"] is True
        json_headers = {**auth, "Content-Type": "application/json"}
        assert ask("PATCH", "/api/v1/admin/stores/petals/products/1", {"price": 420000}, headers=json_headers).json["price"] == 420000
        assert ask("PATCH", "/api/v1/admin/stores/petals/products/1", {"price": -1}, headers=json_headers).status == 422
        assert ask("PATCH", "/api/v1/admin/stores/petals/products/999999", {"available": False}, headers=json_headers).status == 404
    finally:
        fg.stop()
