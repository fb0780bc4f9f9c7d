#!/usr/bin/env node
/**
 * Runs several npm scripts at the same time and fails if any fails: `npm test` runs its checks so,
 * in two waves, because most of them leave a core idle alone (tsc, eslint and prettier are single
 * threaded; the integration suite mostly waits on the pipeline). Each output line is prefixed with
 * its script's name; at the end, one line per script says how it ended and how long it took.
 *
 * Usage: node scripts/run-together.js <script> [<script>...]
 * A script that fails does not stop the others: every failure is shown in one run.
 */
const { spawn } = require('node:child_process');

/** Prefixes every complete line of a stream with `[name] ` as it arrives. */
function prefixLines(stream, name, out) {
  let rest = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk) => {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop();
    for (const line of lines) out.write(`[${name}] ${line}\n`);
  });
  stream.on('end', () => {
    if (rest) out.write(`[${name}] ${rest}\n`);
  });
}

/** Runs `npm run <script>`; resolves with its exit code (1 when it could not start) and duration. */
function runScript(script) {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', script], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, FORCE_COLOR: process.env.FORCE_COLOR ?? '0' },
    });
    prefixLines(child.stdout, script, process.stdout);
    prefixLines(child.stderr, script, process.stderr);
    child.on('error', (error) => {
      process.stderr.write(`[${script}] could not start npm: ${error.message}\n`);
      resolve({ script, code: 1, ms: Date.now() - started });
    });
    child.on('close', (code, signal) => resolve({ script, code: code ?? (signal ? 1 : 0), ms: Date.now() - started }));
  });
}

async function main(scripts) {
  if (scripts.length === 0) {
    process.stderr.write('usage: node scripts/run-together.js <npm script> [<npm script>...], e.g. node scripts/run-together.js lint typecheck\n');
    return 2;
  }
  const results = await Promise.all(scripts.map(runScript));
  for (const { script, code, ms } of results) {
    process.stderr.write(`run-together: ${script} ${code === 0 ? 'passed' : `FAILED (exit ${code})`} in ${(ms / 1000).toFixed(1)} s\n`);
  }
  return results.some((r) => r.code !== 0) ? 1 : 0;
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
