/**
 * The local synth runs the CDK app compiled once by esbuild (`node .sluice/synth-app/app.js`)
 * instead of cdk.json's `npx tsx bin/sluice.ts`: npx's own start and tsx compiling bin/ and lib/
 * file by file are seconds of a fresh `npm start`; esbuild compiles them in a fraction of one.
 * Packages stay external (resolved from node_modules as usual). Only an app command of the form
 * `[npx] tsx <entry>.ts` is compiled; any other runs as it is.
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { sourceDirname } from './source-dirname';
import { withEsbuild } from './bundles/esbuild-service';

/** The TypeScript entry of an app command `[npx [--no-install]] tsx <entry>.ts`, else undefined. */
export function tsxEntry(command: string): string | undefined {
  return /^(?:npx (?:--no-install )?)?tsx ([\w./-]+\.ts)$/.exec(command.trim())?.[1];
}

/**
 * Compiles the app entry (relative to `projectRoot`) into `<projectRoot>/.sluice/synth-app/<name>.js`
 * (a new file per synth: another may be running) and returns the command that runs it, or undefined (with the reason in `onFallback`) when esbuild
 * cannot: the caller then runs cdk.json's command.
 */
export async function buildSynthApp(
  projectRoot: string,
  entry: string,
  onFallback: (reason: string) => void,
): Promise<{ readonly command: string; remove(): void } | undefined> {
  const outfile = path.join(projectRoot, '.sluice', 'synth-app', `app-${process.pid}-${randomBytes(4).toString('hex')}.js`);
  try {
    await withEsbuild((esbuild) =>
      esbuild.build({
        entryPoints: [path.join(projectRoot, entry)],
        outfile,
        bundle: true,
        platform: 'node',
        format: 'cjs',
        target: `node${process.versions.node.split('.')[0]}`,
        packages: 'external',
        // The construct stack traces CDK writes into the metadata then name the sources, not this file.
        sourcemap: 'inline',
        logLevel: 'silent',
        plugins: [sourceDirname(projectRoot)],
      }),
    );
    return { command: `${JSON.stringify(process.execPath)} --enable-source-maps ${JSON.stringify(outfile)}`, remove: () => rmSync(outfile, { force: true }) };
  } catch (error) {
    onFallback(`could not compile ${entry} with esbuild (${error instanceof Error ? error.message.split('\n')[0] : String(error)}): running it with tsx`);
    return undefined;
  }
}
