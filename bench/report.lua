-- wrk script: the JSON summary every benchmark here prints (plain GETs use this file alone).
function done(summary, latency, requests)
  io.write(string.format(
    'WRK {"requests":%d,"duration_s":%.3f,"non_2xx":%d,"socket_errors":%d,"p50_ms":%.2f,"p99_ms":%.2f,"max_ms":%.2f}\n',
    summary.requests, summary.duration / 1e6, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
