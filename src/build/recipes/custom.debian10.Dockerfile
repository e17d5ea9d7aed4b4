# cargo fc builder image for FC runtime `custom.debian10` (Debian 10 buster): the runtime's own C library, so a
# binary linked here needs no newer glibc than FC provides. The build context holds the host's Rust
# toolchain under rust/ (rustc, cargo and rust-std for x86_64-unknown-linux-gnu), so the image has
# exactly the host's Rust version and building it downloads no Rust at all.
FROM debian:buster
# Debian 10 lives only on the archive mirror now; its Release files have expired, and the
# security and updates suites are gone.
RUN echo 'deb http://archive.debian.org/debian buster main' > /etc/apt/sources.list \
    && rm -f /etc/apt/sources.list.d/* \
    && echo 'Acquire::Check-Valid-Until "false";' > /etc/apt/apt.conf.d/99cargo-fc-archive
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        gcc libc6-dev pkg-config ca-certificates \
    && rm -rf /var/lib/apt/lists/*
COPY rust/ /usr/local/
# GCC 8 does not know `-fuse-ld=lld`, which rustc passes since 1.90: link with GNU ld.
COPY cc-without-lld /usr/local/bin/cc-without-lld
ENV CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_LINKER=/usr/local/bin/cc-without-lld
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8
CMD ["cargo", "--version"]
