import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** The layering the README describes, checked on every import of every source file. */
const ROOT = path.join(__dirname, '..', '..');

function filesUnder(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir)).flatMap((name) => {
    const relative = path.join(dir, name);
    if (statSync(path.join(ROOT, relative)).isDirectory()) return filesUnder(relative);
    return /\.ts$/.test(name) ? [relative] : [];
  });
}

/** What a file imports: package names as written, project files as paths from the root (no extension). */
function importsOf(file: string): string[] {
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  const specifiers = [
    ...text.matchAll(
      /(?:^|\n)\s*(?:import|export)[^'";]*?from\s*'([^']+)'|(?:^|\n)\s*import\s*'([^']+)'|require\('([^']+)'\)|import\('([^']+)'\)/g,
    ),
  ].map((m) => m[1] ?? m[2] ?? m[3] ?? m[4] ?? '');
  return specifiers.map((s) => (s.startsWith('.') ? path.join(path.dirname(file), s) : s));
}

const sources = filesUnder('src');
const local = filesUnder('local');
const imports = new Map([...sources, ...local].map((file) => [file, importsOf(file)]));
const offending = (files: string[], forbidden: (imported: string, file: string) => boolean): string[] =>
  files.flatMap((file) =>
    (imports.get(file) ?? []).filter((imported) => forbidden(imported, file)).map((imported) => `${file} → ${imported}`),
  );
const within = (prefix: string) => (file: string) => file.startsWith(prefix);

describe('the layering of the code', () => {
  it('only trigger adapters import @azure/functions or durable-functions: a file in a flow named like the function it registers', () => {
    // And the start of telemetry, which instruments @azure/functions itself.
    const instrumentation = 'src/telemetry/startTelemetry.ts';
    const adapters = sources.filter(
      (file) => file !== instrumentation && imports.get(file)?.some((i) => i === '@azure/functions' || i === 'durable-functions'),
    );
    expect(adapters.length).toBeGreaterThan(0);
    for (const file of adapters) {
      expect(file).toMatch(/^src\/flows\/[A-Za-z]+\/[A-Za-z]+\.ts$/);
      const name = path.basename(file, '.ts');
      expect(readFileSync(path.join(ROOT, file), 'utf8')).toMatch(new RegExp(`app\\.[A-Za-z]+\\(\\s*'${name}'`));
    }
  });

  it('the layers below the flows never import a flow, an adapter or the composition', () => {
    const below = sources.filter((f) => ['src/domain/', 'src/platforms/', 'src/mapping/', 'src/ports/'].some((p) => f.startsWith(p)));
    expect(offending(below, (i) => /^src\/(flows|adapters|composition|cli)\//.test(i))).toEqual([]);
  });

  it('the domain depends on nothing of the hub but itself', () => {
    expect(offending(sources.filter(within('src/domain/')), (i) => i.startsWith('src/') && !i.startsWith('src/domain/'))).toEqual([]);
  });

  it('the order and status flows do not reach into each other: what they share lives in flows/shared', () => {
    const flows = ['orderToErp', 'erpToEcp'];
    for (const flow of flows) {
      const others = flows.filter((f) => f !== flow).map((f) => `src/flows/${f}/`);
      expect(offending(sources.filter(within(`src/flows/${flow}/`)), (i) => others.some((o) => i.startsWith(o)))).toEqual([]);
    }
  });

  it('the app never imports the local runtime', () => {
    expect(offending(sources, (i) => i.startsWith('local/'))).toEqual([]);
  });

  it('the local runtime stands apart: it imports nothing of src; the sandboxes only the platforms they stand in for', () => {
    const runtime = local.filter((f) => ['local/runtime/', 'local/azurite/', 'local/host/', 'local/support/'].some((p) => f.startsWith(p)));
    expect(offending(runtime, (i) => i.startsWith('src/'))).toEqual([]);
    expect(offending(local.filter(within('local/sandboxes/')), (i) => i.startsWith('src/') && !i.startsWith('src/platforms/'))).toEqual([]);
  });
});
