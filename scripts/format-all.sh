#!/usr/bin/env bash
# Brings the whole tree to the lint and format rules in one pass: run once after a merge that
# introduced eslint.config.mjs / .prettierrc.json (or after changing either), then commit the
# result as its own "Format the code base" commit. Day to day, `npm run format` is enough.
#
# Order matters: `eslint --fix` first (prefer-const, stale disable comments, ...), since a fix
# can change a line's length; prettier last, so the layout is prettier's. The final check lists
# what neither tool can fix (fix those by hand), and the exit status says whether any are left.
set -uo pipefail
cd "$(dirname "$0")/.."

npx eslint --fix . >/dev/null || true
npx prettier --write --log-level warn .
npm run --silent lint && npm run --silent format:check
