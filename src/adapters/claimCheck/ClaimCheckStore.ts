import { randomUUID } from 'node:crypto';
import type { ContainerClient } from '@azure/storage-blob';
import { ErrorCodes } from '../../domain/errorCodes';
import { HubError } from '../../domain/HubError';
import type { ClaimChecksPort } from '../../ports/ClaimChecksPort';
import { onFirstUse } from '../onFirstUse';
import { restErrorStatus } from '../restErrorStatus';
import type { StorageAccount } from '../storageAccount';

/** The blob container that holds message bodies too large for a queue message. */
export const CLAIM_CHECK_CONTAINER = 'claim-checks';

/** The application property, and body field, that name a message's body blob. */
export const CLAIM_CHECK_PROPERTY = 'claimCheck';

/** Bodies in blobs (claim check), in the hub's storage account. */
export class ClaimCheckStore implements ClaimChecksPort {
  /** The container's client, once the container exists: @azure/storage-blob loads, and the container is made, on first use (cold start). */
  private readonly container: () => Promise<ContainerClient>;

  constructor(account: StorageAccount) {
    this.container = onFirstUse(async () => {
      const { BlobServiceClient } = await import('@azure/storage-blob');
      const service =
        typeof account === 'string'
          ? BlobServiceClient.fromConnectionString(account)
          : new BlobServiceClient(account.blobServiceUri, account.credential);
      const container = service.getContainerClient(CLAIM_CHECK_CONTAINER);
      await container.createIfNotExists();
      return container;
    });
  }

  /** Stores a body; returns the blob name a message carries instead. */
  async put(queueName: string, body: unknown): Promise<string> {
    const container = await this.container();
    const name = `${queueName}/${new Date().toISOString().slice(0, 10)}/${randomUUID()}.json`;
    const text = JSON.stringify(body);
    await container
      .getBlockBlobClient(name)
      .upload(text, Buffer.byteLength(text), { blobHTTPHeaders: { blobContentType: 'application/json' } });
    return name;
  }

  /**
   * The body a message stands for: its own, or the one in the blob it names. A blob that is gone
   * throws the permanent CLAIM_CHECK.MISSING (what it held cannot come back by retrying).
   */
  async open(body: unknown, applicationProperties: Record<string, unknown>): Promise<unknown> {
    const name = applicationProperties[CLAIM_CHECK_PROPERTY];
    if (typeof name !== 'string') return body;
    try {
      const content = await (await this.container()).getBlockBlobClient(name).downloadToBuffer();
      return JSON.parse(content.toString('utf8')) as unknown;
    } catch (error) {
      if (restErrorStatus(error) === 404) {
        throw new HubError(
          ErrorCodes.CLAIM_CHECK_MISSING,
          `the body of this message was in blob ${CLAIM_CHECK_CONTAINER}/${name}, which is gone`,
          { transient: false },
        );
      }
      throw error;
    }
  }
}
