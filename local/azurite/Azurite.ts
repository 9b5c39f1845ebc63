import type { ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { pipeWithPrefix, spawnSupervised, stopSupervised } from '../support/childProcess';
import { waitForPort } from '../support/freePort';

/** Azurite's well-known development account. */
const ACCOUNT = 'devstoreaccount1';
const KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface AzuriteOptions {
  /** Folder for Azurite's data; it survives restarts. */
  location: string;
  blobPort: number;
  queuePort: number;
  tablePort: number;
  /** A file for Azurite's debug log (one line per request among others); off when left out. */
  debugLog?: string;
  /** Lines Azurite prints (errors only: it runs silent). */
  log?: (line: string) => void;
}

/** Azurite (Blobs, Queues, Tables) as a child process on loopback, telemetry off, data on disk. */
export class Azurite {
  private constructor(
    private readonly child: ChildProcess,
    readonly options: AzuriteOptions,
  ) {}

  static async start(options: AzuriteOptions): Promise<Azurite> {
    mkdirSync(options.location, { recursive: true });
    const child = spawnSupervised(
      [
        '--import',
        'tsx',
        path.join(__dirname, 'azuriteProcess.ts'),
        '--silent',
        '--disableTelemetry',
        '--skipApiVersionCheck',
        '--loose',
        '--location',
        options.location,
        '--blobHost',
        '127.0.0.1',
        '--blobPort',
        String(options.blobPort),
        '--queueHost',
        '127.0.0.1',
        '--queuePort',
        String(options.queuePort),
        '--tableHost',
        '127.0.0.1',
        '--tablePort',
        String(options.tablePort),
        ...(options.debugLog === undefined ? [] : ['--debug', options.debugLog]),
      ],
      {},
    );
    const said: string[] = [];
    pipeWithPrefix(child, '[azurite]', (line) => {
      said.push(line);
      if (said.length > 20) said.shift();
      options.log?.(line);
    });
    const exited = new Promise<never>((_, reject) =>
      child.once('exit', (code) => reject(new Error([`Azurite exited with code ${String(code)} while starting`, ...said].join('\n')))),
    );
    await Promise.race([
      Promise.all([waitForPort(options.blobPort, 30_000), waitForPort(options.queuePort, 30_000), waitForPort(options.tablePort, 30_000)]),
      exited,
    ]);
    return new Azurite(child, options);
  }

  /** A storage connection string for this Azurite, as AzureWebJobsStorage takes it. */
  get connectionString(): string {
    const base = 'http://127.0.0.1';
    return (
      [
        'DefaultEndpointsProtocol=http',
        `AccountName=${ACCOUNT}`,
        `AccountKey=${KEY}`,
        `BlobEndpoint=${base}:${this.options.blobPort}/${ACCOUNT}`,
        `QueueEndpoint=${base}:${this.options.queuePort}/${ACCOUNT}`,
        `TableEndpoint=${base}:${this.options.tablePort}/${ACCOUNT}`,
      ].join(';') + ';'
    );
  }

  /** Stops Azurite gracefully so that it writes its data to disk; killed if it takes longer than `graceMs`. */
  async stop(graceMs = 3000): Promise<void> {
    await stopSupervised(this.child, graceMs);
  }

  /** The process id, for tests that kill the whole stack. */
  get pid(): number | undefined {
    return this.child.pid;
  }
}
