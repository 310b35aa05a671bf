#!/usr/bin/env bash
# The build enforces the layering (docs/architecture.md): a file of the agents
# layer that includes a header of the sim layer does not compile, while one
# that includes lower layers does.
# Usage: check_build.sh BUILD_DIR
set -uo pipefail
build=$1
if ! out=$(cmake --build "$build" --target airace_layering_allowed 2>&1); then
  echo "FAIL: a file of the agents layer that includes lower layers does not compile:"; echo "$out"; exit 1
fi
if out=$(cmake --build "$build" --target airace_layering_upward 2>&1); then
  echo "FAIL: a file of the agents layer that includes sim/world.hpp compiled"; exit 1
fi
if ! grep -q "sim/world.hpp" <<<"$out"; then
  echo "FAIL: the upward include failed for another reason:"; echo "$out"; exit 1
fi
echo "ok: agents cannot include sim/world.hpp; lower layers compile"
