-- wrk script: guest checkouts through the API, each with its own Idempotency-Key.
-- Arguments (after --): product id, then the delivery window ids to spread orders over.
local counter = 0
local windows = {}
local product = 1
local prefix = ""
local threads = 0

-- Runs once per thread in the main state: give each thread its own key prefix.
function setup(thread)
  threads = threads + 1
  thread:set("thread_id", threads)
end

function init(args)
  product = tonumber(args[1])
  for i = 2, #args do windows[#windows + 1] = tonumber(args[i]) end
  prefix = tostring(thread_id) .. "-" .. tostring(os.time()) .. "-" .. tostring(os.clock())
end

function request()
  counter = counter + 1
  local window = windows[(counter % #windows) + 1]
  local body = string.format(
    '{"items":[{"product":%d,"quantity":1}],"customer":{"name":"Bench Customer","phone":"+7 495 123-45-67",'
    .. '"email":"bench@example.com"},"recipient":{"name":"Bench Recipient","phone":"+7 916 555-12-34",'
    .. '"address":"Tverskaya 7, flat 12"},"deliveryWindow":%d,"cardMessage":"bench %d"}',
    product, window, counter)
  return wrk.format("POST", wrk.path, {
    ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = prefix .. "-" .. counter,
  }, body)
end

dofile("bench/report.lua")
