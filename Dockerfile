# Multi-stage build: compile in the Rust image, run on a slim Debian with only the binary.
FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release -p edaibiao-api --bin edaibiao

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home /app edaibiao
WORKDIR /app
COPY --from=build /src/target/release/edaibiao /usr/local/bin/edaibiao
USER edaibiao
ENV APP_ENV=production BIND=0.0.0.0:8080 LOG_FORMAT=json
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --retries=3 CMD curl -fsS http://127.0.0.1:8080/healthz || exit 1
ENTRYPOINT ["edaibiao"]
CMD ["serve"]
