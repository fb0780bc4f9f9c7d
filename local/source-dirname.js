'use strict';
// Plain CommonJS so both builds that bundle this project's TypeScript share it: the local synth's
// app build (local/synth-app-build.ts) and `npm start`'s build of the local cloud (scripts/start.js,
// plain JavaScript that runs before any TypeScript loader).
const { readFileSync } = require('node:fs');
const path = require('node:path');

/**
 * An esbuild plugin that keeps `__dirname` meaning the folder of the source file (a string
 * literal): code finds files next to it through it (lib/ finds lambdas/, local/ its emulator
 * hosts and sandbox bootstrap), and in one bundle it would otherwise be the bundle's folder.
 * Only `.ts` files under `projectRoot`, outside node_modules, are rewritten.
 * @param {string} projectRoot
 * @returns {import('esbuild').Plugin}
 */
function sourceDirname(projectRoot) {
  return {
    name: 'sluice-source-dirname',
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, (args) => {
        if (args.path.includes(`${path.sep}node_modules${path.sep}`) || !args.path.startsWith(projectRoot)) return undefined;
        const source = readFileSync(args.path, 'utf8');
        if (!source.includes('__dirname')) return undefined;
        return { contents: source.replace(/\b__dirname\b/g, JSON.stringify(path.dirname(args.path))), loader: 'ts' };
      });
    },
  };
}

module.exports = { sourceDirname };
