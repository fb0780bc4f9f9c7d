/**
 * Which Node.js binary runs a function: the one of the Node major its `Runtime` names, from the
 * npm package `lambda-runtime-node<major>-<platform>-<arch>` (aliases of `node-<platform>-<arch>`,
 * see package.json optionalDependencies), so code that needs Node 24 fails locally exactly when it
 * would fail on AWS. Pure: the caller passes the host and a file-exists check.
 */
import * as path from 'node:path';

/** An architecture as the template names it (`Architectures`). */
export type LambdaArchitecture = 'x86_64' | 'arm64';

export interface NodeHost {
  /** `process.platform`, e.g. `linux`, `darwin`. */
  readonly platform: string;
  /** `process.arch`, e.g. `x64`, `arm64`. */
  readonly arch: string;
  /** `process.version`, e.g. `v20.20.2`. */
  readonly nodeVersion: string;
  /** `process.execPath`: the fallback binary. */
  readonly execPath: string;
}

export interface NodeBinaryRequest {
  readonly functionName: string;
  /** The template's `Runtime`, e.g. `nodejs24.x`. */
  readonly runtime: string;
  /** @default 'x86_64' (Lambda's default) */
  readonly architecture?: LambdaArchitecture;
  /** The node_modules folder the runtime packages are installed in. */
  readonly nodeModulesDir: string;
}

export type NodeBinaryChoice =
  | {
      readonly ok: true;
      readonly execPath: string;
      /** The Node major the function asked for (24 for `nodejs24.x`). */
      readonly major: number;
      /** `package`: the runtime's own Node; `host`: this machine's Node, because no package fits. */
      readonly source: 'package' | 'host';
      /** What differs from AWS and why; the runner logs each once per function. */
      readonly notices: readonly string[];
    }
  | { readonly ok: false; readonly reason: string };

const NODE_RUNTIME = /^nodejs(\d+)\.x$/;

/** The runtime of a function built without one (hand-made LocalFunctions in tests): the template's. */
export const DEFAULT_RUNTIME = 'nodejs24.x';

/** The npm package (alias) that holds Node `major` for a platform and CPU architecture. */
export function runtimePackageName(major: number, platform: string, arch: string): string {
  return `lambda-runtime-node${major}-${platform}-${arch}`;
}

/** `nodejs24.x` → 24; undefined for anything that is not a Node.js managed runtime. */
export function nodeMajorOf(runtime: string): number | undefined {
  const match = NODE_RUNTIME.exec(runtime);
  return match ? Number(match[1]) : undefined;
}

/**
 * Chooses the Node binary for a function.
 *
 * The CPU architecture is always the host's: an arm64 function on an x64 machine runs the x64
 * build of the same Node major (and the other way round), with a notice, because emulating
 * another CPU would make every local run slow for no behavioural gain in JavaScript code.
 *
 * @example
 * chooseNodeBinary({ functionName: 'ingest', runtime: 'nodejs24.x', architecture: 'arm64', nodeModulesDir }, host, existsSync);
 */
export function chooseNodeBinary(request: NodeBinaryRequest, host: NodeHost, exists: (file: string) => boolean): NodeBinaryChoice {
  const { functionName, runtime } = request;
  const major = nodeMajorOf(runtime);
  if (major === undefined) {
    return {
      ok: false,
      reason:
        `function ${functionName} uses runtime "${runtime || '(none)'}", which the local cloud cannot run: it runs Node.js managed runtimes (nodejs<major>.x) only. ` +
        "Change the function's runtime, or test it on AWS or LocalStack instead.",
    };
  }
  const notices: string[] = [];
  const wantedArch = (request.architecture ?? 'x86_64') === 'arm64' ? 'arm64' : 'x64';
  if (wantedArch !== host.arch) {
    notices.push(
      `function ${functionName} is ${request.architecture ?? 'x86_64'} in the template; it runs as ${host.arch} on this ${host.arch} machine (same Node.js, other CPU)`,
    );
  }
  const packageName = runtimePackageName(major, host.platform, host.arch);
  const binary = path.join(request.nodeModulesDir, packageName, 'bin', host.platform === 'win32' ? 'node.exe' : 'node');
  if (exists(binary)) return { ok: true, execPath: binary, major, source: 'package', notices };
  notices.push(
    `function ${functionName} asks for ${runtime}, but no Node.js ${major} binary is installed for ${host.platform}-${host.arch} ` +
      `(npm package ${packageName} not found in ${request.nodeModulesDir}); it runs on this machine's Node.js ${host.nodeVersion} instead` +
      (Number(host.nodeVersion.replace(/^v/, '').split('.')[0]) === major ? '' : `, so Node.js ${major} features and removals do not apply locally`),
  );
  return { ok: true, execPath: host.execPath, major, source: 'host', notices };
}
