# cargo fc builder image for FC runtime `custom.debian12` (Debian 12 bookworm): the runtime's own C library, so a
# binary linked here needs no newer glibc than FC provides. The build context holds the host's Rust
# toolchain under rust/ (rustc, cargo and rust-std for x86_64-unknown-linux-gnu), so the image has
# exactly the host's Rust version and building it downloads no Rust at all.
FROM debian:bookworm
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        gcc libc6-dev pkg-config ca-certificates \
    && rm -rf /var/lib/apt/lists/*
COPY rust/ /usr/local/
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8
CMD ["cargo", "--version"]
