"""A back-office action as a person does it, one after another for a bounded time: change a tour's capacity with
the form (the post, then the page it leads to). Prints one JSON line: actions/s and latency percentiles of the
whole action. Bench only; signs in as the bench account (bench/audit.sh adds it)."""
import json
import re
import sys
import time
import urllib.parse

from admin_client import AdminClient

port, tour, seconds = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
client = AdminClient(port)
_, page = client.get("/admin/petals/tours")
csrf = re.search(rb'name="csrf" value="([^"]+)"', page).group(1).decode()
latencies, errors, capacity = [], 0, 500
end = time.monotonic() + seconds
while time.monotonic() < end and len(latencies) < 1_000_000:
    capacity = 501 if capacity == 500 else 500  # a change every time, within the form's bounds
    started = time.monotonic()
    body = urllib.parse.urlencode({"csrf": csrf, "capacity": capacity})
    r, _ = client.fetch(
        "POST", f"/admin/petals/tours/{tour}/capacity", body,
        {"Content-Type": "application/x-www-form-urlencoded", "Cookie": client.cookie})
    if r.status != 303:
        errors += 1
        if errors == 1:
            print(f"first error: {r.status}", file=sys.stderr)
    else:
        r, _ = client.get(r.getheader("Location"))
        errors += r.status != 200
    latencies.append((time.monotonic() - started) * 1000)
latencies.sort()
pct = lambda p: round(latencies[min(len(latencies) - 1, int(len(latencies) * p))], 2) if latencies else None
print(json.dumps({
    "bench": "backoffice_action", "actions": len(latencies), "per_s": round(len(latencies) / seconds, 1),
    "errors": errors, "p50_ms": pct(0.5), "p99_ms": pct(0.99),
}))
