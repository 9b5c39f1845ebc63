import { createHash } from 'node:crypto';
import { ErrorCodes } from '../../domain/errorCodes';
import { HubError } from '../../domain/HubError';
import type { ListMember, MailingListAnswer, MailingListPort } from '../../ports/MailingListPort';
import { parseRetryAfter } from '../http/classifyHttpFailure';
import { onFirstUse } from '../onFirstUse';

export interface MailchimpOptions {
  /** `<key>-<data centre>`. */
  apiKey: string;
  listId: string;
  /** Another base URL than `https://<dc>.api.mailchimp.com/3.0` (the local sandbox). */
  baseUrl?: string;
  statusIfNew: 'subscribed' | 'pending';
  timeoutMs: number;
}

/** Mailchimp's answers that are not failures: the address cannot be (re)subscribed through the API. */
const REFUSALS = new Set(['Member In Compliance State', 'Forgotten Email Not Subscribed']);

/** The subscriber hash Mailchimp keys members by: MD5 of the lower-cased address. */
export function subscriberHash(email: string): string {
  return createHash('md5').update(email.toLowerCase()).digest('hex');
}

/**
 * The consenting customers' list in Mailchimp, through the official Marketing client: one
 * idempotent upsert per customer (`PUT /lists/{list}/members/{hash}` with `status_if_new`). The
 * client loads on the first subscription (cold start).
 */
export class MailchimpMailingList implements MailingListPort {
  private readonly client: () => Promise<typeof import('@mailchimp/mailchimp_marketing')>;

  constructor(private readonly options: MailchimpOptions) {
    this.client = onFirstUse(async () => {
      const mailchimp = (await import('@mailchimp/mailchimp_marketing')).default;
      const server = options.apiKey.split('-').at(-1) ?? '';
      mailchimp.setConfig({ apiKey: options.apiKey, server });
      if (options.baseUrl !== undefined) mailchimp.basePath = options.baseUrl.replace(/\/+$/, '');
      mailchimp.timeout = options.timeoutMs;
      return mailchimp;
    });
  }

  async subscribe(member: ListMember): Promise<MailingListAnswer> {
    const mailchimp = await this.client();
    try {
      const answer = await mailchimp.lists.setListMember(this.options.listId, subscriberHash(member.email), {
        email_address: member.email,
        status_if_new: this.options.statusIfNew,
        merge_fields: { FNAME: member.givenName, LNAME: member.familyName },
      });
      return { outcome: 'subscribed', status: answer.status };
    } catch (error) {
      const failure = error as {
        status?: unknown;
        response?: { body?: { title?: string; detail?: string }; headers?: Record<string, unknown> };
        code?: unknown;
        timeout?: unknown;
      };
      const status = typeof failure.status === 'number' ? failure.status : undefined;
      const title = failure.response?.body?.title ?? '';
      const detail = failure.response?.body?.detail ?? '';
      if (status === 400 && REFUSALS.has(title)) return { outcome: 'refused', reason: `${title}: ${detail}` };
      if (status === undefined) {
        const what =
          failure.timeout !== undefined
            ? `no answer within ${this.options.timeoutMs} ms`
            : String(failure.code ?? (error instanceof Error ? error.message : error));
        throw new HubError(ErrorCodes.MAILING_LIST_UNAVAILABLE, `Mailchimp could not be reached: ${what}`, { transient: true });
      }
      const transient = status >= 500 || status === 429;
      const retryAfterMs = parseRetryAfter(failure.response?.headers?.['retry-after']);
      throw new HubError(
        transient ? ErrorCodes.MAILING_LIST_UNAVAILABLE : ErrorCodes.MAILING_LIST_REJECTED,
        `Mailchimp answered ${status}${title === '' ? '' : `: ${title}`}${detail === '' ? '' : ` (${detail})`}`,
        { transient, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) },
      );
    }
  }
}
