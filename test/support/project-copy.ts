/**
 * A copy of the project's app sources (everything a synth reads, plus package.json and
 * tsconfig.json) in a temporary folder, with `node_modules` linked in: a test or bench that edits
 * sources to see a hot reload edits the copy, never the checkout. The checkout's current local
 * assembly is copied too (same sources, same inputs hash), so the copy starts without a synth.
 */
import { cpSync, existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isAssemblyCurrent, ownedAssemblyDir, SYNTH_INPUTS, synthInputsHash } from '../../local/synth';

export interface ProjectCopy {
  readonly root: string;
  remove(): void;
}

/** Copies `projectRoot`'s sources (and its current assembly, when there is one) into a new temporary folder. */
export function copyProject(projectRoot: string, context: Readonly<Record<string, string>> = {}): ProjectCopy {
  const root = mkdtempSync(path.join(os.tmpdir(), 'sluice-copy-'));
  for (const entry of [...SYNTH_INPUTS, 'package.json', 'tsconfig.json']) {
    const from = path.join(projectRoot, entry);
    if (existsSync(from)) cpSync(from, path.join(root, entry), { recursive: true });
  }
  symlinkSync(path.join(projectRoot, 'node_modules'), path.join(root, 'node_modules'));
  const hash = synthInputsHash(projectRoot, context);
  const assembly = ownedAssemblyDir(projectRoot, hash);
  if (isAssemblyCurrent(assembly, hash)) cpSync(assembly, ownedAssemblyDir(root, hash), { recursive: true });
  return { root, remove: () => rmSync(root, { recursive: true, force: true }) };
}
