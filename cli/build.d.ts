/** Types of `cli/build.js` (plain JavaScript so it runs before anything is built). */
/** Builds `dist/cli.cjs` and `dist/aws-sdk.cjs`; resolves with the CLI bundle's path. */
export function buildCli(): Promise<string>;
/** `<repo>/dist/cli.cjs`, which `bin/sluice-cli.js` loads. */
export const CLI_BUNDLE: string;
