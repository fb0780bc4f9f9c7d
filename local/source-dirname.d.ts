import type { Plugin } from 'esbuild';

/** An esbuild plugin that keeps `__dirname` meaning the folder of the source file (see source-dirname.js). */
export function sourceDirname(projectRoot: string): Plugin;
