#!/usr/bin/env bash
# The first command: install what is missing, build the engine, serve the course.
#
#   bash scripts/serve.sh             http://127.0.0.1:8080/
#   PORT=9000 bash scripts/serve.sh   another port
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/setup.sh
bash scripts/build.sh
exec node scripts/serve.mjs
