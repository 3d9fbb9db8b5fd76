#!/usr/bin/env bash
# Builds the demo county as of a fixed date and compares the rendered Markdown
# and the published site with a reference copy, byte for byte.
#   bash scripts/compare_demo.sh save /tmp/ref     # keep the current output as the reference
#   bash scripts/compare_demo.sh diff /tmp/ref     # rebuild and list every difference
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:?save or diff}; ref=${2:?reference folder}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
PATH="$PWD/.venv/bin:$PATH" cunwu build villages --as-of 2026-11-21 --work "$work/build" --site "$work/site" >/dev/null 2>&1 || \
    PATH="$PWD/.venv/bin:$PATH" cunwu build villages --as-of 2026-11-21 --work "$work/build" --site "$work/site"
if [ "$mode" = save ]; then
    rm -rf "$ref"; mkdir -p "$ref/site"; cp -a "$work/site/." "$ref/site/"; cp -a "$work/build/render" "$ref/render"
else
    diff -r "$ref/site/" "$work/site/" && diff -r -x mkdocs.yml -x ".cunwu-*" "$ref/render" "$work/build/render" && echo "identical"
fi
