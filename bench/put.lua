-- wrk: PUT /records/<varying key> with a JSON body like ferry's records and a unique Idempotency-Key
-- (64 characters, as ferry's hex SHA-256), so that the stub stores every request as ferry's would be.

tid = 0
local threads = {}

function setup(thread)
   tid = tid + 1
   thread:set("tid", tid)
   table.insert(threads, thread)
end

function init(args)
   n = 0
   prefix = args[1] or "w"   -- wrk ... -- <prefix>: keys unique across wrk invocations on one stub
end

function request()
   n = n + 1
   local key = string.format("%s%d-%07d", prefix, tid, n)
   local body = string.format('{"id":"%s","name":"customer %d","email":"c%d@example.com","amount":"%d.%02d",'
      .. '"currency":"EUR","note":"benchmark record"}', key, n, n, n % 10000, n % 100)
   local headers = {}
   headers["Content-Type"] = "application/json"
   headers["Idempotency-Key"] = string.format("%-16s%016d%032d", prefix, tid, n):gsub(" ", "0")
   return wrk.format("PUT", "/records/" .. key, headers, body)
end

function done(summary, latency, requests)
   local non2xx = summary.errors.status
   io.write(string.format("WRK_RESULT requests=%d duration_us=%d non2xx=%d connect=%d read=%d write=%d timeout=%d\n",
      summary.requests, summary.duration, non2xx, summary.errors.connect, summary.errors.read,
      summary.errors.write, summary.errors.timeout))
end
