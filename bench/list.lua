-- wrk: the mobile list query, each request as one of the benchmark deputies (round robin over tokens).
local tokens = {}
for line in io.lines(os.getenv("TOKENS_FILE") or "/tmp/edaibiao-bench/tokens") do
  tokens[#tokens + 1] = line
end
local query = ""
for line in io.lines(os.getenv("QUERY_FILE") or "bench/list.graphql") do
  query = query .. " " .. line
end
local body = '{"operationName":"DeputyLatest","query":"' .. query:gsub('"', '\\"') .. '"}'
local n = 0
-- FRESH=1: ask for an answer fresh from the data (Cache-Control: no-cache), bypassing the page cache.
local fresh = os.getenv("FRESH") == "1"

request = function()
  n = n + 1
  local token = tokens[(n % #tokens) + 1]
  local headers = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token }
  if fresh then
    headers["Cache-Control"] = "no-cache"
  end
  return wrk.format("POST", "/graphql", headers, body)
end
