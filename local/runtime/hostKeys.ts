import { randomBytes, timingSafeEqual } from 'node:crypto';
import { BlobServiceClient, RestError } from '@azure/storage-blob';

/** The container and blob where the Functions host keeps its keys in its storage account, as in Azure. */
const SECRETS_CONTAINER = 'azure-webjobs-secrets';

interface StoredKey {
  name: string;
  value: string;
  encrypted: boolean;
}

/** The host's keys file (`azure-webjobs-secrets/<host id>/host.json`), unencrypted as AzureWebJobsDisableSecretEncryption leaves it. */
interface HostSecrets {
  masterKey: StoredKey;
  functionKeys: StoredKey[];
  systemKeys: StoredKey[];
}

/** The keys a caller may present; what each authorization level accepts. */
export interface HostKeys {
  master: string;
  /** Host-level function keys, by name (`default`). */
  functionKeys: Record<string, string>;
  /** Extension keys, by name (`eventgrid_extension`). */
  systemKeys: Record<string, string>;
}

/** The system key an extension's webhook checks, e.g. `eventgrid_extension`. */
export function systemKeyName(extension: string): string {
  return `${extension.toLowerCase()}_extension`;
}

const newKey = (): string => randomBytes(30).toString('base64url');

/**
 * The host's keys, read from its storage account, or created there on first use (as the Functions
 * host does at its first start), with a system key for each extension named.
 */
export async function ensureHostKeys(storageConnectionString: string, hostId: string, extensions: readonly string[]): Promise<HostKeys> {
  const container = BlobServiceClient.fromConnectionString(storageConnectionString).getContainerClient(SECRETS_CONTAINER);
  await container.createIfNotExists();
  const blob = container.getBlockBlobClient(`${hostId}/host.json`);
  let secrets: HostSecrets | undefined;
  let etag: string | undefined;
  try {
    const download = await blob.downloadToBuffer();
    secrets = JSON.parse(download.toString('utf8')) as HostSecrets;
    etag = (await blob.getProperties()).etag;
  } catch (error) {
    if (!(error instanceof RestError && error.statusCode === 404)) throw error;
  }
  const wanted = extensions.map(systemKeyName);
  const missing = secrets === undefined || wanted.some((name) => !secrets?.systemKeys.some((k) => k.name === name));
  if (missing) {
    const next: HostSecrets = secrets ?? {
      masterKey: { name: 'master', value: newKey(), encrypted: false },
      functionKeys: [{ name: 'default', value: newKey(), encrypted: false }],
      systemKeys: [],
    };
    for (const name of wanted)
      if (!next.systemKeys.some((k) => k.name === name)) next.systemKeys.push({ name, value: newKey(), encrypted: false });
    const text = JSON.stringify(next, null, 2);
    try {
      // Only if nobody wrote the keys meanwhile (the stack and the host may both start at once).
      await blob.upload(text, Buffer.byteLength(text), { conditions: etag === undefined ? { ifNoneMatch: '*' } : { ifMatch: etag } });
      secrets = next;
    } catch (error) {
      if (!(error instanceof RestError && (error.statusCode === 409 || error.statusCode === 412))) throw error;
      return await ensureHostKeys(storageConnectionString, hostId, extensions);
    }
  }
  const stored = secrets as HostSecrets;
  return {
    master: stored.masterKey.value,
    functionKeys: Object.fromEntries(stored.functionKeys.map((k) => [k.name, k.value])),
    systemKeys: Object.fromEntries(stored.systemKeys.map((k) => [k.name, k.value])),
  };
}

function same(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The key a request presents: the `code` query parameter or the `x-functions-key` header. */
export function presentedKey(url: URL, headers: Record<string, string | string[] | undefined>): string | undefined {
  const header = headers['x-functions-key'];
  return url.searchParams.get('code') ?? (typeof header === 'string' ? header : undefined);
}

/**
 * Whether a key opens an endpoint, as the host decides: `anonymous` needs none; `function` takes
 * any function key or the master key; `admin` the master key only; an extension's webhook its
 * system key or the master key.
 */
export function keyOpens(
  keys: HostKeys,
  key: string | undefined,
  level: 'anonymous' | 'function' | 'admin' | { systemKey: string },
): boolean {
  if (level === 'anonymous') return true;
  if (key === undefined) return false;
  if (same(key, keys.master)) return true;
  if (level === 'admin') return false;
  if (level === 'function') return Object.values(keys.functionKeys).some((k) => same(key, k));
  const system = keys.systemKeys[level.systemKey];
  return system !== undefined && same(key, system);
}
