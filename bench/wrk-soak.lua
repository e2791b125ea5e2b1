-- wrk script of bench/run-soak: cycles through PATHS_FILE with keep-alive, counts responses by
-- status class in every thread, and prints one JSON line at the end: requests, latency
-- percentiles, socket errors, and the 4xx and 5xx counts.
local paths = {}
for line in io.lines(os.getenv("PATHS_FILE")) do paths[#paths + 1] = line end
local threads = {}
function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end
function init(args)
  i = id * 7919 % #paths  -- each thread starts at a different place in the mix
  c4xx, c5xx = 0, 0
end
wrk.headers["Connection"] = "keep-alive"
function request()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
function response(status, headers, body)
  if status >= 500 then c5xx = c5xx + 1 elseif status >= 400 then c4xx = c4xx + 1 end
end
function done(summary, latency, requests)
  local s4, s5 = 0, 0
  for _, t in ipairs(threads) do s4 = s4 + t:get("c4xx"); s5 = s5 + t:get("c5xx") end
  local e = summary.errors
  io.write(string.format('{"requests": %d, "rps": %.1f, "p50_ms": %.2f, "p99_ms": %.2f, "max_ms": %.2f, ' ..
    '"socket_errors": %d, "timeouts": %d, "status_4xx": %d, "status_5xx": %d}\n',
    summary.requests, summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, e.connect + e.read + e.write, e.timeout, s4, s5))
end
