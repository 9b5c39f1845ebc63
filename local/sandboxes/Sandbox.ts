import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { JsonServer } from './JsonServer';

/**
 * A sandbox system: a JsonServer on a host and port, started and stopped with the stack. What it
 * would keep in its database it keeps as a real system does: each change is written (appended to
 * its journal) before the request that made it is answered, so that a crash of the whole machine's
 * processes loses nothing it answered for; the journal is compacted when the sandbox starts and
 * stops. Without a journal file it keeps its data in memory only (tests, the demo, benchmarks).
 */
export abstract class Sandbox<Change> {
  protected readonly server = new JsonServer();

  constructor(private readonly address: { host: string; port: number; journal?: string }) {}

  /** Applies one change to the sandbox's data in memory (as it is made, and when the journal is read). */
  protected abstract apply(change: Change): void;
  /** The changes that rebuild the data as it is now: what a compacted journal holds. */
  protected abstract snapshot(): Change[];
  /** A state file of the earlier format (one JSON document) as changes; none by default. */
  protected fromEarlierFormat(_state: unknown): Change[] {
    return [];
  }

  async start(): Promise<void> {
    const file = this.address.journal;
    if (file !== undefined) {
      const earlier = file.replace(/\.jsonl$/, '.json');
      if (existsSync(file)) {
        for (const line of readFileSync(file, 'utf8').split('\n')) if (line.trim() !== '') this.apply(JSON.parse(line) as Change);
      } else if (earlier !== file && existsSync(earlier)) {
        for (const change of this.fromEarlierFormat(JSON.parse(readFileSync(earlier, 'utf8')))) this.apply(change);
      }
      this.compact();
      if (earlier !== file) rmSync(earlier, { force: true });
    }
    await this.server.listen(this.address.port, this.address.host);
  }

  async stop(): Promise<void> {
    await this.server.close();
    this.compact();
  }

  get url(): string {
    return `http://${this.address.host}:${this.server.port}`;
  }

  /** Makes a change: applied, and written to the journal before the caller goes on. */
  protected record(change: Change): void {
    this.apply(change);
    if (this.address.journal !== undefined) appendFileSync(this.address.journal, `${JSON.stringify(change)}\n`);
  }

  private compact(): void {
    const file = this.address.journal;
    if (file === undefined) return;
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(
      `${file}.tmp`,
      this.snapshot()
        .map((change) => `${JSON.stringify(change)}\n`)
        .join(''),
    );
    renameSync(`${file}.tmp`, file);
  }
}
