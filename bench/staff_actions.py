"""Staff actions through the admin API, one after another on one keep-alive connection, for a bounded time:
price changes of a product (each one a transaction that, since issue 24, also appends to the audit chain).
Prints one JSON line: actions/s and latency percentiles. Bench only."""
import http.client
import json
import statistics
import sys
import time

port, token, product, seconds = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
label = sys.argv[5] if len(sys.argv) > 5 else "staff_action"
conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
latencies, errors, price = [], 0, 1000
end = time.monotonic() + seconds
while time.monotonic() < end and len(latencies) < 1_000_000:
    price += 1
    started = time.monotonic()
    conn.request("PATCH", f"/api/v1/admin/stores/petals/products/{product}", json.dumps({"price": price}), headers)
    response = conn.getresponse()
    response.read()
    latencies.append((time.monotonic() - started) * 1000)
    if response.status != 200:
        errors += 1
latencies.sort()
def pct(p):
    return round(latencies[min(len(latencies) - 1, int(len(latencies) * p))], 2) if latencies else None
print(json.dumps({
    "bench": label, "actions": len(latencies), "per_s": round(len(latencies) / seconds, 1), "errors": errors,
    "p50_ms": pct(0.5), "p99_ms": pct(0.99), "mean_ms": round(statistics.fmean(latencies), 2) if latencies else None,
}))
