#!/usr/bin/env node
// The `sluice` CLI: runs the bundle `npm ci` built (dist/cli.cjs, see cli/build.js), so no
// TypeScript is compiled on a call and no devDependency is needed.
const path = require('node:path');
const bundle = path.join(__dirname, '..', 'dist', 'cli.cjs');
try {
  require.resolve(bundle);
} catch {
  process.stderr.write(`sluice: the CLI is not built (no ${path.relative(process.cwd(), bundle) || bundle}); run npm run build:cli (npm ci builds it)\n`);
  process.exit(1);
}
// Node 22+ keeps the compiled bundle in its compile cache (a temp directory): later calls skip parsing it.
require('node:module').enableCompileCache?.();
require(bundle);
