#!/bin/bash
# Checks the bootstrap scripts: bash -n always, shellcheck where it is installed (apt-get install shellcheck; the
# Maven tests run only bash -n, since shellcheck is not on every build machine).
set -euo pipefail
cd "$(dirname "$0")"
status=0
for script in bootstrap/*.sh check-scripts.sh yolofleet-emr; do
  bash -n "${script}" || status=1
done
if command -v shellcheck >/dev/null; then
  shellcheck bootstrap/*.sh check-scripts.sh yolofleet-emr || status=1
else
  echo "check-scripts: shellcheck is not installed (apt-get install shellcheck); ran bash -n only" >&2
fi
exit "${status}"
