#!/usr/bin/env node
/**
 * postinstall: the Lambda runtime Node binaries (optionalDependencies `lambda-runtime-node*`, the
 * npm packages `node-<platform>-<arch>`) declare a `node` bin, so npm links it into
 * node_modules/.bin and every npm script would then run on that Node instead of the host's.
 * The local cloud starts those binaries by path (local/runtime), so the link is removed here and
 * the project's tools keep running on the Node you installed.
 */
const fs = require('node:fs');
const path = require('node:path');

const binDir = path.join(__dirname, '..', 'node_modules', '.bin');
for (const name of ['node', 'node.cmd', 'node.ps1']) {
  const link = path.join(binDir, name);
  let target;
  try {
    target = fs.readlinkSync(link);
  } catch {
    // Windows shims are files, not links: read them instead.
    try {
      target = fs.readFileSync(link, 'utf8');
    } catch {
      continue;
    }
  }
  if (target.includes('lambda-runtime-node')) fs.rmSync(link, { force: true });
}
