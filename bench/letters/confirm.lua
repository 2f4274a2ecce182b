-- wrk script: POST each confirmation link once (paths in BENCH_LINKS, one per line); with
-- BENCH_METHOD=GET, open each as the mail's reader does (the page with the button).
local paths = {}
local index = 0
local step = 1

function setup(thread)
end

function init(args)
  for line in io.lines(os.getenv("BENCH_LINKS")) do
    table.insert(paths, line)
  end
  wrk.method = os.getenv("BENCH_METHOD") or "POST"
  wrk.headers["Cookie"] = "csrftoken=" .. os.getenv("BENCH_CSRF")
  wrk.headers["Referer"] = os.getenv("BENCH_REFERER")
  if wrk.method == "POST" then
    wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
    wrk.body = "csrfmiddlewaretoken=" .. os.getenv("BENCH_TOKEN")
  end
end

function request()
  index = index + 1
  if index > #paths then
    index = 1
  end
  return wrk.format(nil, paths[index])
end

done = function(summary, latency, requests)
  io.write(string.format("LATENCY %d %d %d\n",
    latency:percentile(50), latency:percentile(99), latency.max))
end
