-- wrk: PostGraphile's page of one bench deputy's latest suggestions (round robin over the 100 deputies).
local deputies = {}
for line in io.lines(os.getenv("DEPUTIES_FILE") or "/tmp/edaibiao-bench/deputies") do
  deputies[#deputies + 1] = line
end
local query = ""
for line in io.lines("bench/postgraphile/list.graphql") do
  query = query .. " " .. line
end
query = query:gsub('"', '\\"')
local n = 0

request = function()
  n = n + 1
  local body = '{"query":"' .. query .. '","variables":{"deputy":"' .. deputies[(n % #deputies) + 1] .. '"}}'
  return wrk.format("POST", "/graphql", { ["Content-Type"] = "application/json" }, body)
end
