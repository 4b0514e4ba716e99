#!/usr/bin/env bash
# scripts/install-deps.sh: installs the Debian packages posthog-cpp needs to build, test and run
# its demo, when they are missing. Idempotent: with everything present it changes nothing and
# runs no apt-get at all (not even update). Used by scripts/demo.sh and scripts/test.sh.
#
#   libpoco-dev       Poco 1.11 (Foundation, Net, NetSSL, Crypto, JSON, Util, XML)
#   libcppunit-dev    the test framework
#   cmake g++ make pkg-config   the build
#   libdeflate-dev    gzip of request bodies (faster than zlib at level 1; the build uses it when
#                     present)
#   zlib1g-dev        gzip when libdeflate is absent, and Poco's own inflate/deflate streams
#   libssl-dev        HTTPS (Poco NetSSL is built on OpenSSL), SHA-1 for feature-flag bucketing
#   libdw-dev         file and line in the stack frames of captured exceptions (the build uses it
#                     when present)
#   openssl           the command line: tests make their TLS certificates with it
#   ca-certificates   the system CA store, to verify https://*.posthog.com
#
# The sanitizer and fuzz stages (scripts/ci-extra.sh) install clang themselves.
set -euo pipefail

PACKAGES=(libpoco-dev libcppunit-dev cmake g++ make pkg-config libdeflate-dev zlib1g-dev libssl-dev libdw-dev openssl
  ca-certificates)

installed() {
  dpkg-query -W -f='${Status}' "$1" 2> /dev/null | grep -q "install ok installed"
}

missing=()
for p in "${PACKAGES[@]}"; do
  installed "$p" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

as_root=()
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo > /dev/null; then
    echo "install-deps: missing ${missing[*]}; run as root or install sudo" >&2
    exit 1
  fi
  as_root=(sudo)
fi
echo "install-deps: installing ${missing[*]}"
"${as_root[@]}" apt-get update -q
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
