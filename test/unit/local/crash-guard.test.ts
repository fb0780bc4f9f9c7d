import { EventEmitter } from 'node:events';
import { installCrashGuards } from '../../../local/crash-guard';

describe('installCrashGuards', () => {
  it('logs a stray rejection and exception with where it came from, and removes its listeners on request', () => {
    const target = new EventEmitter();
    const lines: string[] = [];
    const remove = installCrashGuards((source, line) => lines.push(`${source}: ${line}`), target as unknown as NodeJS.Process);
    target.emit('unhandledRejection', new Error('poll failed'));
    target.emit('uncaughtException', new TypeError('bad header'), 'uncaughtException');
    target.emit('unhandledRejection', 'a plain string');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^local cloud: unhandled promise rejection .*Error: poll failed/s);
    expect(lines[1]).toMatch(/uncaught exception from uncaughtException .*TypeError: bad header/s);
    expect(lines[2]).toContain('a plain string');
    remove();
    expect(target.listenerCount('unhandledRejection') + target.listenerCount('uncaughtException')).toBe(0);
  });
});
