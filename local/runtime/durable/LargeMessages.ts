import { randomUUID } from 'node:crypto';
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';

/** Past this size a queue message's text is kept in a blob: a storage queue message holds 64 KiB. */
const LARGEST_QUEUE_TEXT = 60 * 1024;

/** What a queue message holds instead of a text too large for it. */
interface BlobReference {
  $largeMessage: string;
}

/**
 * Messages too large for a storage queue, kept in the task hub's `<hub>-largemessages` container
 * and referred to from the queue, as the Durable Task Framework's Azure Storage provider keeps them.
 */
export class LargeMessages {
  private readonly container: ContainerClient;

  constructor(storageConnectionString: string, containerName: string) {
    this.container = BlobServiceClient.fromConnectionString(storageConnectionString).getContainerClient(containerName);
  }

  async create(): Promise<void> {
    await this.container.createIfNotExists();
  }

  /** The text to put on the queue: the message itself, or a reference to the blob now holding it. */
  async toQueueText(text: string): Promise<string> {
    if (Buffer.byteLength(text) <= LARGEST_QUEUE_TEXT) return text;
    const name = `${randomUUID()}.json`;
    await this.container.getBlockBlobClient(name).upload(text, Buffer.byteLength(text));
    return JSON.stringify({ $largeMessage: name } satisfies BlobReference);
  }

  /** The message a queue text stands for, and the blob to delete once it is handled. */
  async fromQueueText(text: string): Promise<{ text: string; blob?: string }> {
    if (!text.startsWith('{"$largeMessage":')) return { text };
    const { $largeMessage: name } = JSON.parse(text) as BlobReference;
    return { text: (await this.container.getBlockBlobClient(name).downloadToBuffer()).toString('utf8'), blob: name };
  }

  async remove(blob: string): Promise<void> {
    await this.container.getBlockBlobClient(blob).deleteIfExists();
  }
}
