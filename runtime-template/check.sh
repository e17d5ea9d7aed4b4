#!/bin/sh
# Checks the template the way a generated project would be checked: renders it once per
# main.rs variant into a scratch directory and runs fmt, clippy and the tests there.
#
#   check.sh [SCRATCH_DIR]     (default: ${TMPDIR:-/tmp}/fc-runtime-template-check)
#
# Set CARGO_TARGET_DIR to share one target directory between the variants.
set -eu

template=$(cd "$(dirname "$0")" && pwd)
scratch=${1:-${TMPDIR:-/tmp}/fc-runtime-template-check}

for variant in event initializer http http_initializer; do
    dest=$scratch/$variant
    rm -rf "$dest"
    if [ "$variant" = event ]; then
        "$template/render.sh" "$dest" hello
    else
        "$template/render.sh" "$dest" hello "$variant"
    fi
    echo "== $variant" >&2
    (
        cd "$dest"
        cargo fmt --check
        cargo clippy --quiet --all-targets -- -D warnings
        cargo test --quiet
    )
done
echo "all variants passed" >&2
