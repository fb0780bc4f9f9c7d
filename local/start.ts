/**
 * `npm start`: the Docker-free local cloud. Synthesizes if needed, starts the emulators, one AWS
 * endpoint, the resources of the template and the runtime, prints what runs where, and stops
 * everything on Ctrl-C / SIGTERM.
 *
 * Usage: npm start -- [--persist] [--synth | --no-synth] [--stage <name>] [--outputs <file>] [--inspect <function>[=port]] [--no-watch]
 */
import path from 'node:path';
import type { LocalCloud } from './index';
// Light (Node built-ins only): DynamoDB Local's JVM starts before the rest of the local cloud is loaded.
import { startDynamoDb } from './emulators/dynamodb';

const HELP = `usage: npm start -- [options]

  --persist        keep data between runs under .sluice/data: Kinesis, DynamoDB, stream checkpoints
                   and (on a clean stop) SQS messages
  --synth          synthesize even if the assembly in .sluice/cdk.out is current
  --no-synth       use the newest assembly in .sluice/cdk.out as it is
  --stage <name>   CDK context stage (default from cdk.json)
  --outputs <file> where to write the stack outputs (default .sluice/outputs.local.json, where the sluice
                   CLI looks; a second local cloud, e.g. the README test's, writes its own)
  --inspect <fn>[=port][,...]
                   run the function with a Node inspector (repeatable): its short name, logical id or
                   physical name; port default SLUICE_INSPECT_PORT (9229) + its index (docs/debugging.md)
  --no-watch       no hot reload (by default a change under lambdas/ swaps the changed functions'
                   code, and one under lib/ or bin/ applies the re-synthesized app)
  -h, --help       show this help

environment: SLUICE_AWS_PORT (4566), SLUICE_API_PORT (3000), SLUICE_API_KEY (local-dev-key), SLUICE_INSPECT_PORT (9229)

The local cloud synthesizes into its own folder, .sluice/cdk.out/<hash of the sources, cdk.json,
context and lockfile>: cdk ls / cdk diff / cdk synth (which write ./cdk.out) cannot break it.`;

function parseArgs(argv: readonly string[]) {
  const options = {
    persist: false,
    synth: 'auto' as 'auto' | 'always' | 'never',
    stage: undefined as string | undefined,
    outputs: undefined as string | undefined,
    inspect: [] as string[],
    watch: true,
    help: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--persist') options.persist = true;
    else if (arg === '--synth') options.synth = 'always';
    else if (arg === '--no-synth') options.synth = 'never';
    else if (arg === '--stage') options.stage = argv[++i];
    else if (arg.startsWith('--stage=')) options.stage = arg.slice('--stage='.length);
    else if (arg === '--outputs') options.outputs = argv[++i];
    else if (arg.startsWith('--outputs=')) options.outputs = arg.slice('--outputs='.length);
    else if (arg === '--inspect') options.inspect.push(argv[++i] ?? '');
    else if (arg.startsWith('--inspect=')) options.inspect.push(arg.slice('--inspect='.length));
    else if (arg === '--no-watch') options.watch = false;
    else if (arg === '-h' || arg === '--help') options.help = true;
    else throw new Error(`unknown option "${arg}": run npm start -- --help`);
  }
  return options;
}

const SOURCE_WIDTH = 20;
function log(source: string, line: string): void {
  process.stdout.write(`${source.padEnd(SOURCE_WIDTH).slice(0, SOURCE_WIDTH)} | ${line}\n`);
}

async function banner(cloud: LocalCloud): Promise<string> {
  const [{ notEmulatedLines }, { skippedChecks, skippedChecksLine }, { inspectBannerLines }] = await Promise.all([
    import('./template'),
    import('./synth'),
    import('./runtime/inspect'),
  ]);
  const { app } = cloud;
  const lines: string[] = [];
  const row = (name: string, value: string) => lines.push(`  ${name.padEnd(34)} ${value}`);
  const label = (logicalId: string) => logicalId.replace(/[0-9A-F]{8}$/, '');
  lines.push(
    '',
    `sluice local cloud ready in ${(cloud.timings.total / 1000).toFixed(1)} s` +
      ` (synth ${cloud.synthesized ? `${(cloud.timings.synth / 1000).toFixed(1)} s` : 'skipped: the assembly is current'},` +
      ` emulators ${(cloud.timings.emulators / 1000).toFixed(1)} s, provision ${(cloud.timings.provision / 1000).toFixed(1)} s,` +
      ` runtime ${(cloud.timings.runtime / 1000).toFixed(1)} s)`,
    '',
  );
  row('AWS endpoint', `${cloud.awsEndpoint}   (export AWS_ENDPOINT_URL=${cloud.awsEndpoint} AWS_REGION=us-east-1)`);
  row('API', cloud.apiUrl);
  row('console', `${cloud.awsEndpoint}/_sluice/console`);
  row('API key (x-api-key)', cloud.apiKey);
  row('outputs file', path.relative(process.cwd(), cloud.outputsFile) || cloud.outputsFile);
  row('cloud assembly', path.relative(process.cwd(), cloud.cloudAssemblyDir) || cloud.cloudAssemblyDir);
  if (cloud.hotReload) row('hot reload', `watching ${cloud.hotReload.watching.join(', ')} (npm start -- --no-watch to turn off)`);
  const skipped = skippedChecksLine(skippedChecks(cloud.cloudAssemblyDir));
  if (skipped) lines.push(`  ${skipped}`);
  lines.push('', '  tables');
  for (const t of app.tables) row(`    ${label(t.logicalId)}`, t.tableName);
  lines.push('  streams');
  for (const s of app.streams) row(`    ${label(s.logicalId)}`, `${s.streamName} (${s.shardCount} shards)`);
  lines.push('  queues');
  for (const q of app.queues) row(`    ${label(q.logicalId)}`, q.url);
  lines.push('  functions');
  for (const f of app.functions) row(`    ${f.displayName}`, f.functionName);
  if (app.api) {
    lines.push('  routes');
    for (const r of app.api.routes) {
      const fn = app.functions.find((f) => f.functionName === r.functionName)?.displayName ?? r.functionName;
      row(`    ${r.method} ${r.resourcePath}`, fn);
    }
  }
  for (const s of app.skipped ?? []) row(`  skipped ${s.logicalId}`, s.reason);
  lines.push(...notEmulatedLines(app.notEmulated ?? []));
  lines.push(...inspectBannerLines(cloud.inspect));
  const api = cloud.apiUrl.replace(/\/$/, '');
  const h = `-H 'x-api-key: ${cloud.apiKey}' -H 'content-type: application/json'`;
  const swipe = {
    type: 'sluice.card.swiped.v1',
    source: 'pos/terminal-7',
    subject: 'card-1',
    data: { cardId: 'card-1', accountId: 'acc-1', amount: 1250, merchant: 'Corner Cafe', country: 'DE', at: new Date().toISOString() },
  };
  lines.push(
    '',
    '  try it:',
    `    curl -s -X POST ${api}/accounts ${h} -d '{"accountId":"acc-1","owner":"Ada","currency":"EUR"}'`,
    `    curl -s -X POST ${api}/accounts/acc-1/deposits ${h} -d '{"amount":5000}'`,
    `    curl -s ${api}/accounts/acc-1 -H 'x-api-key: ${cloud.apiKey}'`,
    `    curl -s -X POST ${api}/events ${h} -d '${JSON.stringify(swipe)}'`,
    '',
    '  Ctrl-C stops everything.',
    '',
  );
  return lines.join('\n');
}

/** Signals closer than this to the first are copies of the same Ctrl-C (see `shutdown`). */
const REPEATED_SIGNAL_MS = 1000;

async function main(): Promise<void> {
  // This machine's Node.js may be older than the functions' runtime; the SDK's upgrade notice is noise here.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const args = parseArgs(process.argv.slice(2));
  if (args.help) {
    process.stdout.write(`${HELP}\n`);
    return;
  }
  // The JVM takes seconds to start: let it overlap loading the rest of the local cloud (not with
  // --persist, whose data folder startLocalCloud creates owner-only first). Its notes (class-data
  // archive written or refused) are printed like the local cloud's own.
  let spawned: () => void = () => undefined;
  const jvmSpawned = new Promise<void>((resolve) => (spawned = resolve));
  const dynamodb = args.persist ? undefined : startDynamoDb({ notice: (line) => log('dynamodb', line), onSpawn: () => spawned() });
  dynamodb?.catch(() => undefined);
  // Loading the modules below blocks the event loop, which the launch needs to reach its spawn.
  if (dynamodb) await Promise.race([jvmSpawned, dynamodb.catch(() => undefined)]);
  const [{ startLocalCloud }, { installCrashGuards }, { parseInspectValues }] = await Promise.all([
    import('./index'),
    import('./crash-guard'),
    import('./runtime/inspect'),
  ]);
  let cloud: LocalCloud | undefined;
  let stoppingSince: number | undefined;
  const shutdown = async (signal: string) => {
    if (stoppingSince !== undefined) {
      // One Ctrl-C reaches this process more than once: the terminal signals the whole group, and
      // npm and tsx each pass it on too. Only a signal well after the first is the user asking again.
      if (Date.now() - stoppingSince < REPEATED_SIGNAL_MS) return;
      process.stderr.write(`\n${signal} again: exiting without waiting\n`);
      process.exit(1);
    }
    stoppingSince = Date.now();
    process.stdout.write(`\n${signal}: stopping the local cloud...\n`);
    await cloud?.stop();
    process.stdout.write('stopped.\n');
    process.exit(0);
  };
  installCrashGuards(log);
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  process.stdout.write(`starting the sluice local cloud${args.persist ? ' (persistent: .sluice/data)' : ''}...\n`);
  cloud = await startLocalCloud({
    persist: args.persist,
    ...(args.outputs ? { outputsFile: path.resolve(args.outputs) } : {}),
    synth: args.synth,
    ...(args.stage ? { context: { stage: args.stage } } : {}),
    inspect: parseInspectValues(args.inspect),
    watch: args.watch,
    ...(dynamodb ? { dynamodb } : {}),
    log,
  });
  if (stoppingSince !== undefined) return;
  process.stdout.write(await banner(cloud));
}

main().catch((error: unknown) => {
  process.stderr.write(`\nnpm start failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
