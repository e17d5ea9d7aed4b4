#!/bin/sh
# Writes out the crate `cargo fc new` would create, for testing this template.
#
#   render.sh DEST NAME [VARIANT]
#
# Copies the crate to DEST, renders Cargo.toml.tmpl and README.md.tmpl with NAME in place of
# {{name}}, and, when VARIANT is given (initializer, http, http_initializer), uses
# variants/VARIANT.rs as src/main.rs. The template's own scripts and variants are not copied.
# DEST/.cargo/config.toml points cargo at this repository's fc-runtime/, as `cargo fc new`
# points it at the copy in its data directory.
set -eu

if [ $# -lt 2 ] || [ $# -gt 3 ]; then
    echo "usage: $0 DEST NAME [initializer|http|http_initializer]" >&2
    exit 2
fi
dest=$1
name=$2
variant=${3:-}

# A cargo package name; anything else would also break the sed expression below.
case $name in
    '' | [!A-Za-z_]* | *[!A-Za-z0-9_-]*)
        echo "$0: invalid package name: $name" >&2
        exit 2
        ;;
esac

template=$(cd "$(dirname "$0")" && pwd)
runtime=$(cd "$template/../fc-runtime" && pwd)
version=$(sed -n 's/^version = "\([0-9]*\.[0-9]*\)\..*"$/\1/p' "$runtime/Cargo.toml" | head -n 1)
case $version in 0.*) ;; *) version=${version%%.*} ;; esac
if [ -n "$variant" ] && [ ! -f "$template/variants/$variant.rs" ]; then
    echo "$0: no such variant: $variant" >&2
    exit 2
fi

mkdir -p "$dest/.cargo"
cp -R "$template/src" "$template/.gitignore" "$dest/"
sed "s/{{name}}/$name/g; s/{{fc_runtime}}/$version/g" "$template/Cargo.toml.tmpl" >"$dest/Cargo.toml"
printf '[patch.crates-io]\nfc-runtime = { path = "%s" }\n' "$runtime" >"$dest/.cargo/config.toml"
sed "s/{{name}}/$name/g" "$template/README.md.tmpl" >"$dest/README.md"
if [ -n "$variant" ]; then
    cp "$template/variants/$variant.rs" "$dest/src/main.rs"
fi
