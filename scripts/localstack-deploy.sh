#!/usr/bin/env bash
# Deploys both stacks to LocalStack with cdklocal and writes the stack outputs where the
# integration suite and the CLI look for them. Not runnable on machines without Docker.
set -euo pipefail
cd "$(dirname "$0")/.."
export AWS_ENDPOINT_URL="${AWS_ENDPOINT_URL:-http://localhost:4566}"
export AWS_REGION="${AWS_REGION:-us-east-1}" AWS_DEFAULT_REGION="${AWS_REGION:-us-east-1}"
export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-test}" AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-test}"
export CDK_DEFAULT_ACCOUNT=000000000000 CDK_DEFAULT_REGION="$AWS_REGION"
stage="${SLUICE_STAGE:-dev}"
mkdir -p .sluice
npx cdklocal bootstrap "aws://000000000000/$AWS_REGION" -c stage="$stage"
npx cdklocal deploy --all --require-approval never -c stage="$stage" --outputs-file .sluice/localstack-outputs.json
echo "outputs written to .sluice/localstack-outputs.json"
