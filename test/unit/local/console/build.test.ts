import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildConsole } from '../../../../local/console/build';
import { CONSOLE_ROUTES } from '../../../../local/console/contract';

/** What the console may weigh, uncompressed (Preact + htm + the sections; measured at ~35 KB). */
const BUDGET_BYTES = 60_000;

describe('buildConsole', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-console-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes the page and the two assets it names, under the asset route, with the bundle hash', async () => {
    const build = await buildConsole({ dir });
    expect(build.files).toEqual(['assets/console.css', 'assets/console.js', 'index.html']);
    for (const file of build.files) expect(fs.existsSync(path.join(dir, file))).toBe(true);
    const page = fs.readFileSync(path.join(dir, 'index.html'), 'utf8');
    expect(page).toContain(`<script src="${CONSOLE_ROUTES.assets}console.js?v=${build.hash}" defer></script>`);
    expect(page).toContain(`<link rel="stylesheet" href="${CONSOLE_ROUTES.assets}console.css?v=${build.hash}">`);
    expect(page).toContain('<div id="app"></div>');
  });

  it('is small and offline: no URL of another origin in the page, the script or the stylesheet', async () => {
    const build = await buildConsole({ dir });
    expect(build.bytes).toBeLessThan(BUDGET_BYTES);
    expect(build.gzipBytes).toBeLessThan(build.bytes);
    for (const file of build.files) {
      const urls = fs.readFileSync(path.join(dir, file), 'utf8').match(/(https?:)?\/\/[a-z0-9.-]+\.[a-z]{2,}\/[^"'`\s)]*/gi) ?? [];
      // Preact's SVG and XLink namespace names are URIs that are never fetched.
      expect(urls.filter((url) => !url.startsWith('http://www.w3.org/'))).toEqual([]);
    }
  });

  it('writes nothing when the page already holds this build', async () => {
    await buildConsole({ dir });
    const page = path.join(dir, 'index.html');
    const before = fs.statSync(page).mtimeMs;
    fs.utimesSync(page, new Date(0), new Date(0));
    await buildConsole({ dir });
    expect(fs.statSync(page).mtimeMs).toBe(0);
    expect(before).toBeGreaterThan(0);
  });

  it('keeps the last build while its sources are unchanged, and builds again when one changed', async () => {
    const first = await buildConsole({ dir });
    const stampFile = path.join(dir, 'build.json');
    fs.utimesSync(stampFile, new Date(0), new Date(0));
    expect(await buildConsole({ dir })).toEqual(first);
    // Not built again: a build rewrites the stamp.
    expect(fs.statSync(stampFile).mtimeMs).toBe(0);

    const stamp = JSON.parse(fs.readFileSync(stampFile, 'utf8')) as { key: string };
    fs.writeFileSync(stampFile, JSON.stringify({ ...stamp, key: 'sources-changed' }));
    expect(await buildConsole({ dir })).toEqual(first);
    // Built again: the stamp holds the sources' key once more.
    expect((JSON.parse(fs.readFileSync(stampFile, 'utf8')) as { key: string }).key).toBe(stamp.key);
  });
});
