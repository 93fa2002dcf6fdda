# Sourced by the bench scripts that time the server over the seeded city (run.sh, statistics.sh,
# documents.sh): where the release binaries are, building them, and seeding a fresh database.
# BENCH_SKIP_BUILD=1 uses the binaries already built; BENCH_SKIP_SEED=1 the database seeded before.

TARGET="$(realpath -m "${CARGO_TARGET_DIR:-target}")"

# Builds the server and the seeder (release), unless told to skip.
build_release() {
  [ -n "${BENCH_SKIP_BUILD:-}" ] && return 0
  echo "== building (release)"
  cargo build --release -q -p edaibiao-api --bin edaibiao
  cargo build --release -q -p edaibiao-infra --example bench_seed
}

# Creates database $2 afresh on server $1 and seeds it with bench_seed (100,000 suggestions, 2,000 deputies,
# 200 units). Fails (so `if seed_fresh …` skips the caller's own seeding) when told to skip.
seed_fresh() {
  [ -n "${BENCH_SKIP_SEED:-}" ] && return 1
  echo "== seeding $2"
  psql "$1/postgres" -qc "DROP DATABASE IF EXISTS $2" -c "CREATE DATABASE $2"
  time "$TARGET/release/examples/bench_seed" "$1/$2"
}
