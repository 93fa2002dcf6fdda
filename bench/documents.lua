-- wrk: the mobile list query as one of the benchmark deputies (round robin over tokens), its body read
-- whole from BODY_FILE: the full text, or Apollo's persisted-query extension with the hash alone.
local tokens = {}
for line in io.lines(os.getenv("TOKENS_FILE")) do
  tokens[#tokens + 1] = line
end
local file = assert(io.open(os.getenv("BODY_FILE"), "r"))
local body = file:read("*a")
file:close()
local n = 0

request = function()
  n = n + 1
  return wrk.format("POST", "/graphql", {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. tokens[(n % #tokens) + 1],
  }, body)
end
