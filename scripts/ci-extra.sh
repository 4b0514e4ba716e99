#!/usr/bin/env bash
# scripts/ci-extra.sh: the reliability stages of CI, run by .ci/run after the main test command.
#
#   asan  AddressSanitizer + UndefinedBehaviorSanitizer build; the whole ctest suite
#   tsan  ThreadSanitizer build; the queue/worker/flush/shutdown, request-scope, flags and logs
#         suites (ctest -R, see TSAN_TESTS)
#   zlib  a build with libdeflate hidden (gzip through zlib, the fallback when libdeflate-dev is
#         absent); the suites that gzip request bodies (ctest -R, see ZLIB_TESTS)
#   spec  every SpecScenariosTest test run alone, once each, so that no test passes only because
#         an earlier one prepared the process (COMPLIANCE.md cites them one by one)
#   fuzz  clang + libFuzzer build (POSTHOG_FUZZ=ON, ASan+UBSan); every fuzz target for FUZZ_SECONDS over a copy
#         of its seed corpus in tests/fuzz/corpus/<name>
#
# Environment: CI_STAGES (default "asan tsan zlib spec fuzz"), FUZZ_SECONDS (default 40), JOBS (default 2),
# CI_BUILD_ROOT (default <repo>/build-ci). Runs every stage, prints each one's wall time, and exits
# non-zero when any failed (a sanitizer report fails its test: halt_on_error / -fno-sanitize-recover).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
STAGES=${CI_STAGES:-asan tsan zlib spec fuzz}
FUZZ_SECONDS=${FUZZ_SECONDS:-40}
JOBS=${JOBS:-2}
BUILD_ROOT=${CI_BUILD_ROOT:-$ROOT/build-ci}
TSAN_TESTS=${TSAN_TESTS:-'^(ClientTest|ClientDeliveryTest|DeliveryTest|SpecScenariosTest|PipelineViewTest|FaultsTest|SpoolTest|ContextTest|LogsTest|LogChannelTest|FlagsClientTest|FlagsSpecTest)$'}
ZLIB_TESTS=${ZLIB_TESTS:-'^(HotPathTest|ClientTest)$'}

log() { echo "[ci-extra] $*"; }

# A compiler cache, when the machine has one (Debian ccache), makes the sanitizer builds cheap to
# repeat; what is built is the same. CMake reads this variable for a new build directory.
if command -v ccache > /dev/null && [ -z "${CMAKE_CXX_COMPILER_LAUNCHER:-}" ]; then
  # Paths are hashed relative to the checkout (and not its folder), so another clone reuses them.
  export CMAKE_CXX_COMPILER_LAUNCHER=ccache CCACHE_BASEDIR=$ROOT CCACHE_NOHASHDIR=1
fi

sudo_if_needed() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

ensure_packages() {
  local missing=()
  command -v clang++ > /dev/null || missing+=(clang)
  # libFuzzer's runtime (and clang's sanitizer runtimes) come with libclang-rt-14-dev.
  ls /usr/lib/llvm-14/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a > /dev/null 2>&1 || missing+=(libclang-rt-14-dev)
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]}"
    sudo_if_needed apt-get update -q
    sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
  fi
}

timed() {
  local name=$1
  shift
  local start
  start=$(date +%s)
  log "stage $name: start"
  if "$@"; then
    log "stage $name: passed in $(($(date +%s) - start)) s"
  else
    log "stage $name: FAILED after $(($(date +%s) - start)) s"
    failed+=("$name")
  fi
}

stage_asan() {
  local dir=$BUILD_ROOT/asan
  cmake -S "$ROOT" -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPOSTHOG_SANITIZE=address,undefined \
    -DCMAKE_CXX_FLAGS="-fno-sanitize-recover=undefined" -DPOSTHOG_BUILD_BENCH=OFF > "$dir.configure.log"
  cmake --build "$dir" -j"$JOBS" > "$dir.build.log" || { tail -50 "$dir.build.log"; return 1; }
  # Poco keeps singletons (loggers, SSL manager) alive to exit: leaks are checked, but only
  # those reachable from our code fail (suppressions in tests/faults/lsan.supp).
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:halt_on_error=1:strict_string_checks=1 \
    LSAN_OPTIONS=suppressions=$ROOT/tests/faults/lsan.supp:print_suppressions=0 \
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir "$dir" --output-on-failure -j"$JOBS" --timeout 900
}

stage_tsan() {
  local dir=$BUILD_ROOT/tsan
  cmake -S "$ROOT" -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPOSTHOG_SANITIZE=thread \
    -DPOSTHOG_BUILD_BENCH=OFF > "$dir.configure.log"
  # Only what the chosen suites need.
  local targets
  targets=$(ctest --test-dir "$dir" -N -R "$TSAN_TESTS" 2> /dev/null | sed -n 's/^ *Test *#[0-9]*: *//p' || true)
  if [ -z "$targets" ]; then
    cmake --build "$dir" -j"$JOBS" > "$dir.build.log" || { tail -50 "$dir.build.log"; return 1; }
  else
    # shellcheck disable=SC2086
    cmake --build "$dir" -j"$JOBS" --target $targets posthog-spool-capture > "$dir.build.log" ||
      { tail -50 "$dir.build.log"; return 1; }
  fi
  TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 suppressions=$ROOT/tests/faults/tsan.supp" \
    ctest --test-dir "$dir" --output-on-failure -j"$JOBS" --timeout 900 -R "$TSAN_TESTS"
}

stage_zlib() {
  local dir=$BUILD_ROOT/zlib
  # The main build gzips with libdeflate when it is installed; this one is told it is not there.
  cmake -S "$ROOT" -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPOSTHOG_BUILD_BENCH=OFF -DPOSTHOG_BUILD_SAMPLES=OFF \
    -DPOSTHOG_LIBDEFLATE_LIBRARY=POSTHOG_LIBDEFLATE_LIBRARY-NOTFOUND > "$dir.configure.log"
  grep -q 'gzip with zlib' "$dir.configure.log" || { log "zlib: the build did not fall back to zlib"; return 1; }
  local targets
  targets=$(ctest --test-dir "$dir" -N -R "$ZLIB_TESTS" 2> /dev/null | sed -n 's/^ *Test *#[0-9]*: *//p' || true)
  # shellcheck disable=SC2086
  cmake --build "$dir" -j"$JOBS" --target $targets > "$dir.build.log" || { tail -50 "$dir.build.log"; return 1; }
  ctest --test-dir "$dir" --output-on-failure -j"$JOBS" --timeout 900 -R "$ZLIB_TESTS"
}

stage_fuzz() {
  local dir=$BUILD_ROOT/fuzz
  CC=clang CXX=clang++ cmake -S "$ROOT" -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPOSTHOG_FUZZ=ON \
    -DPOSTHOG_SANITIZE=address,undefined -DCMAKE_CXX_FLAGS= \
    -DPOSTHOG_WERROR=OFF -DPOSTHOG_BUILD_BENCH=OFF -DPOSTHOG_BUILD_SAMPLES=OFF > "$dir.configure.log"
  local fuzzers=() name help
  help=$(cmake --build "$dir" --target help 2> /dev/null || true)
  for name in ConfigFuzz NdjsonFuzz PiiFuzz OtlpFuzz FlagsFuzz; do
    if grep -q "^\.\.\. $name\$" <<< "$help"; then fuzzers+=("$name"); fi
  done
  log "fuzz targets: ${fuzzers[*]}"
  # The plugins are loaded by ConfigFuzz through the pipeline: build them too.
  cmake --build "$dir" -j"$JOBS" --target "${fuzzers[@]}" > "$dir.build.log" || { tail -50 "$dir.build.log"; return 1; }
  if grep -q "^\.\.\. PostHogValidation\$" <<< "$help"; then
    cmake --build "$dir" -j"$JOBS" --target PostHogValidation >> "$dir.build.log" 2>&1 || true
  fi
  local status=0
  for name in "${fuzzers[@]}"; do
    local base=${name%Fuzz}
    local seeds=$ROOT/tests/fuzz/corpus/${base,,}
    local work=$dir/corpus-$name
    mkdir -p "$work" "$dir/artifacts-$name"
    [ -d "$seeds" ] && cp -n "$seeds"/* "$work"/ 2> /dev/null || true
    local start
    start=$(date +%s)
    if ASAN_OPTIONS=detect_leaks=1:halt_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
      "$dir/bin/$name" -max_total_time="$FUZZ_SECONDS" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="$dir/artifacts-$name/" "$work" > "$dir/$name.log" 2>&1; then
      log "$name: $(grep -m1 -o 'stat::number_of_executed_units: *[0-9]*' "$dir/$name.log" | grep -o '[0-9]*$') runs in $(($(date +%s) - start)) s, no findings"
    else
      log "$name: FINDING (see $dir/$name.log and $dir/artifacts-$name/)"
      tail -40 "$dir/$name.log"
      status=1
    fi
  done
  return $status
}

stage_spec() {
  # The README's test build (scripts/test.sh) has the suite already; a build of its own otherwise.
  local dir=${SPEC_BUILD_DIR:-$ROOT/build}
  [ -f "$dir/CMakeCache.txt" ] ||
    cmake -S "$ROOT" -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPOSTHOG_BUILD_BENCH=OFF > "$BUILD_ROOT/spec.configure.log"
  cmake --build "$dir" -j"$JOBS" --target SpecScenariosTest > "$BUILD_ROOT/spec.build.log" ||
    { tail -50 "$BUILD_ROOT/spec.build.log"; return 1; }
  local tests test status=0 count=0
  tests=$("$dir/bin/SpecScenariosTest" --list)
  for test in $tests; do
    count=$((count + 1))
    if ! "$dir/bin/SpecScenariosTest" "$test" > "$BUILD_ROOT/spec-alone.log" 2>&1; then
      log "$test FAILED when run alone:"
      tail -20 "$BUILD_ROOT/spec-alone.log"
      status=1
    fi
  done
  log "spec: $count tests run alone"
  return $status
}

failed=()
ensure_packages
mkdir -p "$BUILD_ROOT"
total_start=$(date +%s)
for stage in $STAGES; do
  case $stage in
    asan) timed asan stage_asan ;;
    tsan) timed tsan stage_tsan ;;
    zlib) timed zlib stage_zlib ;;
    fuzz) timed fuzz stage_fuzz ;;
    spec) timed spec stage_spec ;;
    *)
      log "unknown stage '$stage' (asan, tsan, zlib, spec, fuzz)"
      exit 2
      ;;
  esac
done
log "all stages: $(($(date +%s) - total_start)) s"
if [ ${#failed[@]} -gt 0 ]; then
  log "failed stages: ${failed[*]}"
  exit 1
fi
