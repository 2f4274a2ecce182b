-- wrk script: POST one letter per request, each from a new supporter, with a valid CSRF
-- cookie and token fetched beforehand (BENCH_CSRF, BENCH_BODY_PREFIX from the environment).
local counter = 0
local thread_id = 0
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  thread_id = id
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  wrk.headers["Cookie"] = "csrftoken=" .. os.getenv("BENCH_CSRF")
  wrk.headers["Referer"] = os.getenv("BENCH_REFERER")
end

function request()
  counter = counter + 1
  local who = os.getenv("BENCH_RUN") .. "-" .. thread_id .. "-" .. counter
  local body = os.getenv("BENCH_BODY") .. "&email=s" .. who .. "%40example.org&name=Supporter+" .. who
  return wrk.format(nil, nil, nil, body)
end

done = function(summary, latency, requests)
  io.write(string.format("LATENCY %d %d %d\n",
    latency:percentile(50), latency:percentile(99), latency.max))
end
