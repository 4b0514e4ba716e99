#!/usr/bin/env bash
# scripts/test.sh: the README's second command. Installs what is missing, builds everything
# (library, plugins, samples, tests, benchmarks) and runs the whole ctest suite.
#
# Environment: BUILD_DIR (default build), JOBS (parallel build jobs, default: the number of CPUs),
# TEST_JOBS (tests run at once, default 2).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
BUILD_DIR=${BUILD_DIR:-build}
JOBS=${JOBS:-$(nproc)}
TEST_JOBS=${TEST_JOBS:-2}

bash scripts/install-deps.sh

# A compiler cache, when the machine has one (Debian ccache), makes rebuilds cheap; what is built
# is the same. CMake reads this variable when it configures a new build directory.
if command -v ccache > /dev/null && [ -z "${CMAKE_CXX_COMPILER_LAUNCHER:-}" ]; then
  # Paths are hashed relative to the checkout (and not its folder), so another clone reuses them.
  export CMAKE_CXX_COMPILER_LAUNCHER=ccache CCACHE_BASEDIR=$ROOT CCACHE_NOHASHDIR=1
fi

cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPOSTHOG_BUILD_TESTS=ON
cmake --build "$BUILD_DIR" -j"$JOBS"
cd "$BUILD_DIR"
ctest --output-on-failure -j"$TEST_JOBS"
