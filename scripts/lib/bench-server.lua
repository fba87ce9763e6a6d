-- wrk's script for scripts/bench-server.mjs: one scenario's requests, a cap on how many each
-- thread sends (the run is bounded in count as well as by wrk's -d), a count of answers whose
-- status is not the one expected (wrk itself counts only statuses over 399), and one JSON line
-- of figures at the end.
--
--   wrk -s bench-server.lua [-H ...] URL -- METHOD CAP_PER_THREAD EXPECTED_STATUS [BODIES_FILE]
--
-- BODIES_FILE holds one request body a line, sent in turn; `{{uuid}}` in a line is replaced by
-- a fresh random version 4 UUID at every request (an anonymous id a batch has not used before).
-- Without it the request has no body. EXPECTED_STATUS 0: answers are not looked at.

local threads = {}
local next_id = 1

function setup(thread)
  thread:set("thread_id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

local requests = {}
local templates = {}
local sent = 0
local cap = 0
local expected = 0
unexpected = 0
capped = 0

local function uuid()
  return string.format("%08x-%04x-4%03x-%04x-%04x%08x",
    math.random(0, 0xffffffff), math.random(0, 0xffff), math.random(0, 0xfff),
    0x8000 + math.random(0, 0x3fff), math.random(0, 0xffff), math.random(0, 0xffffffff))
end

function init(args)
  local method = args[1]
  cap = tonumber(args[2])
  expected = tonumber(args[3])
  math.randomseed(os.time() * 1000 + (thread_id or 0))
  if args[4] then
    for line in io.lines(args[4]) do
      if line:find("{{uuid}}", 1, true) then
        table.insert(templates, line)
      else
        table.insert(requests, wrk.format(method, nil, nil, line))
      end
    end
  end
  if #requests == 0 and #templates == 0 then
    table.insert(requests, wrk.format(method))
  end
  wrk.method = method
  -- wrk collects the headers and body of every answer for a `response` function, which costs
  -- it a copy of each (a megabyte for a full feed): without an expected status there is none,
  -- and wrk counts only statuses over 399.
  if expected == 0 then
    response = nil
  end
end

function request()
  sent = sent + 1
  if sent >= cap then
    capped = 1
    wrk.thread:stop()
  end
  if #templates > 0 then
    local line = templates[(sent % #templates) + 1]:gsub("{{uuid}}", uuid)
    return wrk.format(nil, nil, nil, line)
  end
  return requests[(sent % #requests) + 1]
end

function response(status, headers, body)
  if status ~= expected then
    unexpected = unexpected + 1
  end
end

function done(summary, latency, requests)
  local unexpected_total, capped_any = 0, 0
  for _, thread in ipairs(threads) do
    unexpected_total = unexpected_total + (thread:get("unexpected") or 0)
    capped_any = math.max(capped_any, thread:get("capped") or 0)
  end
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"duration_us":%d,"bytes":%d,"connect_errors":%d,"read_errors":%d,' ..
    '"write_errors":%d,"status_errors":%d,"timeouts":%d,"unexpected_status":%d,"capped":%s,' ..
    '"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d,"mean_us":%.1f}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status,
    e.timeout, unexpected_total, capped_any == 1 and "true" or "false",
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    latency.mean))
end
