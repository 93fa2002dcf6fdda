# Shared by the benchmark scripts; source it.

# Logs in the 100 deputies bench_seed creates (phones 13800000000…, password bench1234) on the server at
# 127.0.0.1:$1 and writes their access tokens to $2, one a line.
login_bench_deputies() {
  local port=$1 tokens=$2
  : > "$tokens"
  for i in $(seq 0 99); do
    phone=$(printf "1380000%04d" "$i")
    curl -fs "http://127.0.0.1:$port/graphql" -H 'content-type: application/json' \
      -d "{\"query\":\"mutation{login(phone:\\\"$phone\\\",password:\\\"bench1234\\\"){accessToken}}\"}" \
      | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["login"]["accessToken"])' >> "$tokens"
  done
}
