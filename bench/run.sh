#!/usr/bin/env bash
# Runs every benchmark binary of the build tree given as $1; each prints
# `name value unit` lines. Used by ./dev bench.
set -euo pipefail
build=${1:?usage: bench/run.sh BUILD_DIR}
echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) commit $(git rev-parse --short HEAD 2>/dev/null || echo none)"
for bench in "$build"/bench/*_bench; do
  [ -x "$bench" ] || continue
  echo "# $(basename "$bench")"
  "$bench" "$build"
done
