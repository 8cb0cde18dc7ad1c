# syntax=docker/dockerfile:1
# The driftless image: the `driftless` binary (CLI and operator) on distroless, as non-root user 65532.
#
#   docker build -t registry.example.com/platform/driftless:0.1.0 .
#
# Built where a Docker engine (or BuildKit, podman, kaniko) runs; this project's CI has none and builds and
# tests the release binary instead (docs/chart.md#the-image).
#
# glibc and distroless/cc rather than a static musl binary: the binary compiles C (SQLite, ring) that builds as
# is against glibc, and musl's allocator is markedly slower for an async, allocation-heavy program; cc-debian12
# adds only glibc and libgcc to distroless/static. The builder is Debian 12 too, so the binary's glibc matches.

ARG RUST_VERSION=1.95

FROM docker.io/library/rust:${RUST_VERSION}-bookworm AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked -p driftless-cli \
    && install -D -m 0755 target/release/driftless /out/driftless
# Refuse a binary that needs a shared library the runtime image lacks (libssl, say, if a dependency ever
# switched to native TLS): it would only fail when the pod starts.
RUN readelf -d /out/driftless | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p' > /out/needed \
    && if grep -vxE 'libc\.so\.6|libm\.so\.6|libgcc_s\.so\.1|libdl\.so\.2|libpthread\.so\.0|librt\.so\.1|ld-linux-(x86-64|aarch64)\.so\.[12]' /out/needed; then \
         echo "driftless needs the libraries above, which distroless/cc does not have" >&2; exit 1; \
       fi

FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=build /out/driftless /usr/local/bin/driftless
# distroless's `nonroot`; the chart's podSecurityContext runs as the same user.
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/driftless"]
CMD ["operator"]
