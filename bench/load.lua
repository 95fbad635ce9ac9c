-- wrk script for `make load`: a mix of /claims/ filter URLs (or, for the spike, the hot
-- pages listed in the file $HOT_PATHS, written by bench/load_spike.py), round robin, and a
-- count of 5xx answers.
local paths = {
  "/claims/",
  "/claims/?topic=sleep",
  "/claims/?topic=migraine&population=human",
  "/claims/?strength=low",
  "/claims/?verdict=partially",
  "/claims/?population=animal",
  "/claims/?status=finalized",
  "/claims/?flag=vague-authority",
  "/claims/?design=rct",
  "/claims/?q=sleep+quality",
  "/claims/?q=citr",
  "/claims/?order=newest",
  "/claims/?page=400",  -- the deepest page: lists count up to 10,000 claims
  "/claims/?topic=sleep&page=50",
}
local hot = os.getenv("HOT_PATHS")
if hot then
  paths = {}
  for line in io.lines(hot) do
    if line ~= "" then table.insert(paths, line) end
  end
end
local threads = {}
local i = 0

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  server_errors = 0
  counter = math.random(#paths)
end

function request()
  counter = counter % #paths + 1
  return wrk.format("GET", paths[counter])
end

function response(status, headers, body)
  if status >= 500 then
    server_errors = server_errors + 1
  end
end

function done(summary, latency, requests)
  local errors = 0
  for _, thread in ipairs(threads) do
    errors = errors + thread:get("server_errors")
  end
  io.write(string.format(
    "LOAD requests=%d duration_us=%d rps=%.1f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f 5xx=%d timeouts=%d non2xx=%d\n",
    summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000, errors,
    summary.errors.timeout, summary.errors.status))
end
