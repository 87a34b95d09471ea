#!/bin/bash
# EMR bootstrap action (every node, before the applications start): install jemalloc from the Amazon Linux 2023
# repositories. The cluster template preloads it under the Spark executors and drivers (LD_PRELOAD, MALLOC_CONF).
set -euo pipefail

readonly library=/usr/lib64/libjemalloc.so.2

if [[ ! -f "${library}" ]]; then
  sudo dnf install -y jemalloc
fi
if [[ ! -f "${library}" ]]; then
  echo "install-jemalloc: ${library} is missing after dnf install jemalloc" >&2
  exit 1
fi
echo "install-jemalloc: ${library} ready"
