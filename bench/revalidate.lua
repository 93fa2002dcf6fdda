-- wrk: an app refreshing the deputy's home screen with the ETag it holds: a GET of the persisted list query
-- with If-None-Match, each request as one of the benchmark deputies (lines "token etag" in ETAGS_FILE).
local held = {}
for line in io.lines(os.getenv("ETAGS_FILE") or "/tmp/edaibiao-bench/etags") do
  local token, etag = line:match("^(%S+) (.+)$")
  held[#held + 1] = { token = token, etag = etag }
end
local path = os.getenv("GET_PATH")
local n = 0

request = function()
  n = n + 1
  local h = held[(n % #held) + 1]
  return wrk.format("GET", path, {
    ["Accept"] = "application/json",
    ["Authorization"] = "Bearer " .. h.token,
    ["If-None-Match"] = h.etag,
  })
end

