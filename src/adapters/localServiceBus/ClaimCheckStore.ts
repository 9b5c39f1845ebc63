import { randomUUID } from 'node:crypto';
import { BlobServiceClient, RestError, type ContainerClient } from '@azure/storage-blob';

/** The blob container the stand-in keeps large message bodies in. */
const CONTAINER = 'localbus-payloads';

/**
 * Claim check for the local Service Bus stand-in: a storage queue message holds at most 64 KiB,
 * less than a Service Bus message, so a larger body goes to a blob and the message carries its name.
 */
export class ClaimCheckStore {
  private readonly container: ContainerClient;
  private readonly ready: Promise<unknown>;

  constructor(storageConnectionString: string) {
    this.container = BlobServiceClient.fromConnectionString(storageConnectionString).getContainerClient(CONTAINER);
    this.ready = this.container.createIfNotExists();
  }

  /** Stores a body; returns the name the message carries instead. */
  async put(queueName: string, body: unknown): Promise<string> {
    await this.ready;
    const name = `${queueName}/${randomUUID()}.json`;
    const text = JSON.stringify(body);
    await this.container.getBlockBlobClient(name).upload(text, Buffer.byteLength(text), { blobHTTPHeaders: { blobContentType: 'application/json' } });
    return name;
  }

  /** The body stored under `name`, or undefined when there is none. */
  async get(name: string): Promise<{ body: unknown } | undefined> {
    await this.ready;
    try {
      const content = await this.container.getBlockBlobClient(name).downloadToBuffer();
      return { body: JSON.parse(content.toString('utf8')) as unknown };
    } catch (error) {
      if (error instanceof RestError && error.statusCode === 404) return undefined;
      throw error;
    }
  }

  /** Forgets a body once its message is completed. */
  async delete(name: string): Promise<void> {
    await this.ready;
    await this.container.deleteBlob(name, { deleteSnapshots: 'include' }).catch((error: unknown) => {
      if (!(error instanceof RestError && error.statusCode === 404)) throw error;
    });
  }
}
