#!/usr/bin/env node
// The `sluice` CLI: registers tsx so the TypeScript sources run as they are, then hands over.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
require('tsx/cjs');
require('../cli/main.ts').run(process.argv);
