#!/usr/bin/env bash
# Deploys both stacks to LocalStack with cdklocal and writes the stack outputs where the
# integration suite and the CLI look for them. Needs a running LocalStack (npm run localstack:up).
# Every variable below, and why: docs/localstack.md ("What the LocalStack path sets, and why");
# test/unit/scripts/localstack-deploy.test.ts checks them with a stub npx.
set -euo pipefail
cd "$(dirname "$0")/.."

port="${LOCALSTACK_PORT:-4566}"
# cdklocal 3.x with CDK CLI >= 2.177 refuses AWS_ENDPOINT_URL without AWS_ENDPOINT_URL_S3, and the
# S3 one needs a `.s3.` host so S3 requests are told apart (aws-cdk-local README, "Version support").
export AWS_ENDPOINT_URL="${AWS_ENDPOINT_URL:-http://localhost:${port}}"
export AWS_ENDPOINT_URL_S3="${AWS_ENDPOINT_URL_S3:-http://s3.localhost.localstack.cloud:${port}}"
export AWS_REGION="${AWS_REGION:-us-east-1}"
export AWS_DEFAULT_REGION="${AWS_DEFAULT_REGION:-$AWS_REGION}"
# cdklocal drops every other AWS_* variable unless it is allowlisted, and the region would fall
# back to us-east-1 whatever AWS_REGION says.
export AWS_ENVAR_ALLOWLIST="${AWS_ENVAR_ALLOWLIST:+$AWS_ENVAR_ALLOWLIST,}AWS_REGION,AWS_DEFAULT_REGION"
export CDK_DEFAULT_ACCOUNT=000000000000 CDK_DEFAULT_REGION="$AWS_REGION"

stage="${SLUICE_STAGE:-dev}"
# -c dashboard=false: LocalStack's community CloudFormation has no AWS::CloudWatch::Dashboard.
# -c waf=false: nor AWS::WAFv2::WebACL (WAF is not in LocalStack's community edition).
# -c lambdaArchitecture: arm64 like AWS (LocalStack runs it on the host's architecture when
# LAMBDA_IGNORE_ARCHITECTURE=1, as docker-compose.yml sets); x86_64 for a LocalStack without it.
context=(-c "stage=$stage" -c dashboard=false -c waf=false -c "lambdaArchitecture=${SLUICE_LAMBDA_ARCHITECTURE:-arm64}")

mkdir -p .sluice
npx cdklocal bootstrap "aws://000000000000/$AWS_REGION" "${context[@]}"
npx cdklocal deploy --all --require-approval never "${context[@]}" --outputs-file .sluice/localstack-outputs.json
echo "outputs written to .sluice/localstack-outputs.json"
