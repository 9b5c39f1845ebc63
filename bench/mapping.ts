/**
 * `npm run bench:mapping`: orders per second of the canonical → ERP mapping on 1-, 20- and 200-line
 * orders, in one run beside a hand-written TypeScript function with the same output, the same
 * mapping in JSONata (compiled once), and JSON.parse + JSON.stringify of the order (the floor).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { Command, InvalidArgumentError } from 'commander';
import { CATALOG } from '../local/sandboxes/catalog';
import type { CanonicalOrder } from '../src/domain/canonicalOrder';
import { loadMappings } from '../src/mapping/loadMappings';
import { HubMappings } from '../src/mapping/mappingNames';
import { handWrittenCanonicalToErp } from './mapping/handWritten';
import { jsonataCanonicalToErp } from './mapping/jsonataMapping';

function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('must be a positive number of seconds');
  return n;
}

const program = new Command('bench:mapping')
  .description('canonical → ERP mapping: compiled mapping file beside hand-written TypeScript, JSONata and JSON.parse + stringify')
  .option('--seconds <s>', 'time per variant and order size, over five rounds', seconds, 2);

const ROUNDS = 5;

/** A canonical order with `lines` lines, cycling through the catalog. */
function orderWith(lines: number): CanonicalOrder {
  const base = JSON.parse(readFileSync(path.join('mappings', 'fixtures', 'canonical-order.json'), 'utf8')) as CanonicalOrder;
  return {
    ...base,
    lines: Array.from({ length: lines }, (_, i) => {
      const product = CATALOG[i % CATALOG.length]!;
      const quantity = 1 + (i % 3);
      return {
        lineNumber: i + 1,
        sku: product.sku,
        description: product.title,
        quantity,
        unitPrice: product.price,
        lineTotal: Math.round(product.price * quantity * 100) / 100,
        taxRate: product.taxRate,
      };
    }),
  };
}

/** Equal as the JSON the ERP receives (JSONata's arrays carry extra properties of their own). */
const sameJson = (a: unknown, b: unknown): boolean => isDeepStrictEqual(JSON.parse(JSON.stringify(a)), JSON.parse(JSON.stringify(b)));

/** Calls per second of `run` over about `seconds`, after a warm-up. */
async function rate(run: () => unknown, seconds: number, isAsync = false): Promise<number> {
  const batch = async (n: number): Promise<void> => {
    for (let i = 0; i < n; i++) {
      if (isAsync) await run();
      else run();
    }
  };
  await batch(100);
  let calls = 0;
  const start = performance.now();
  const until = start + seconds * 1000;
  let size = 50;
  while (performance.now() < until) {
    await batch(size);
    calls += size;
    size = Math.min(size * 2, 5000);
  }
  return calls / ((performance.now() - start) / 1000);
}

async function main(): Promise<void> {
  const { seconds: time } = program.parse().opts<{ seconds: number }>();
  const mapping = loadMappings(path.resolve('mappings')).get(HubMappings.CANONICAL_TO_ERP_SALES_ORDER.name);
  const handWritten = handWrittenCanonicalToErp();
  const jsonataMap = jsonataCanonicalToErp();
  console.log(`canonical → ERP sales order, median of ${ROUNDS} rounds of ${time / ROUNDS} s per variant, Node ${process.version}\n`);
  console.log(
    '| lines | mapping file (compiled) | + output validation | hand-written TS | JSONata | JSON.parse + stringify | mapping / hand-written | mapping / JSONata |',
  );
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|');
  const failures: string[] = [];
  for (const lines of [1, 20, 200]) {
    const order = orderWith(lines);
    const text = JSON.stringify(order);
    const expected = handWritten(order);
    if (!sameJson(mapping.map(order), expected)) failures.push(`${lines} lines: the mapping file and the hand-written function disagree`);
    if (!sameJson(await jsonataMap(order), expected)) failures.push(`${lines} lines: JSONata and the hand-written function disagree`);
    // Five rounds, each variant in turn, the median of each: the machine's drift hits all alike.
    const variants: [string, () => unknown, boolean][] = [
      ['compiled', () => mapping.map(order), false],
      ['validated', () => mapping.targetSchema.safeParse(mapping.map(order)), false],
      ['hand', () => handWritten(order), false],
      ['jsonata', () => jsonataMap(order), true],
      ['floor', () => JSON.stringify(JSON.parse(text)), false],
    ];
    const samples = new Map<string, number[]>(variants.map(([name]) => [name, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, run, isAsync] of variants) samples.get(name)?.push(await rate(run, time / ROUNDS, isAsync));
    }
    const med = (name: string): number => {
      const sorted = [...(samples.get(name) ?? [])].sort((a, b) => a - b);
      return sorted[Math.floor(sorted.length / 2)] ?? 0;
    };
    const [compiled, validated, hand, viaJsonata, floor] = ['compiled', 'validated', 'hand', 'jsonata', 'floor'].map(med) as [
      number,
      number,
      number,
      number,
      number,
    ];
    const f = (n: number): string => Math.round(n).toLocaleString('en-US');
    console.log(
      `| ${lines} | ${f(compiled)} | ${f(validated)} | ${f(hand)} | ${f(viaJsonata)} | ${f(floor)} | ${(compiled / hand).toFixed(2)}× | ${(compiled / viaJsonata).toFixed(0)}× |`,
    );
  }
  console.log('\norders per second; targets on 20 lines: ≥ 0.5× hand-written, ≥ 50× JSONata');
  for (const failure of failures) console.error(failure);
  if (failures.length > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(`bench failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
