import type { Client } from '@sendgrid/client';
import type { MailService } from '@sendgrid/mail';
import { ErrorCodes } from '../../domain/errorCodes';
import { HubError } from '../../domain/HubError';
import type { ConfirmationMail, ConfirmationMailerPort } from '../../ports/ConfirmationMailerPort';
import type { CustomerMail, CustomerMailPort } from '../../ports/CustomerMailPort';
import { parseRetryAfter } from '../http/classifyHttpFailure';
import { onFirstUse } from '../onFirstUse';

export interface SendGridOptions {
  apiKey: string;
  from: { email: string; name: string };
  /** Another base URL than SendGrid's (the local mail sink). */
  baseUrl?: string;
  timeoutMs: number;
}

/** Socket errors where the request never left: nothing was sent. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** A failed SendGrid call as a HubError: what SendGrid answered, or whether the mail may have left anyway. */
function sendGridFailure(error: unknown, what: string): HubError {
  const status = (error as { code?: unknown }).code;
  if (typeof status === 'number') {
    const response = (error as { response?: { headers?: Record<string, unknown>; body?: { errors?: { message?: string }[] } } }).response;
    const reason = response?.body?.errors?.map((e) => e.message).join('; ') ?? '';
    const transient = status >= 500 || status === 429;
    const retryAfterMs = parseRetryAfter(response?.headers?.['retry-after']);
    return new HubError(
      transient ? ErrorCodes.MAIL_FAILED : ErrorCodes.MAIL_REJECTED,
      `${what}: SendGrid answered ${status}${reason === '' ? '' : ` (${reason})`}`,
      {
        transient,
        ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      },
    );
  }
  const socket = typeof status === 'string' ? status : '';
  return new HubError(ErrorCodes.MAIL_FAILED, `${what}: ${error instanceof Error ? error.message : String(error)}`, {
    transient: true,
    // A timeout or a reset after sending: SendGrid may have taken the mail.
    ambiguous: !NOT_SENT.has(socket),
  });
}

/** Customer e-mails through SendGrid's v3 API, with the official clients (loaded on the first mail: cold start). */
export class SendGridMailer implements CustomerMailPort, ConfirmationMailerPort {
  private readonly clients: () => Promise<{ mail: MailService; client: Client }>;

  constructor(private readonly options: SendGridOptions) {
    this.clients = onFirstUse(async () => {
      // CommonJS modules whose classes hang off the default export.
      const [{ default: clientModule }, { default: mailModule }] = await Promise.all([
        import('@sendgrid/client'),
        import('@sendgrid/mail'),
      ]);
      const { Client } = clientModule as unknown as { Client: new () => Client };
      const { MailService } = mailModule as unknown as { MailService: new () => MailService };
      const client = new Client();
      const mail = new MailService();
      client.setApiKey(options.apiKey);
      if (options.baseUrl !== undefined) client.setDefaultRequest('baseUrl', options.baseUrl);
      mail.setClient(client);
      // Sets the client's request timeout (its own setDefaultRequest has no type for it).
      mail.setTimeout(options.timeoutMs);
      return { mail, client };
    });
  }

  async send(mail: CustomerMail): Promise<void> {
    const { mail: service } = await this.clients();
    try {
      await service.send({
        to: { email: mail.to, name: mail.toName },
        from: this.options.from,
        subject: mail.subject,
        text: mail.text,
        categories: [mail.category],
        customArgs: { orderId: mail.orderId },
      });
    } catch (error) {
      throw sendGridFailure(error, `mail to the customer of order ${mail.orderId} failed`);
    }
  }

  async sendConfirmation(mail: ConfirmationMail): Promise<{ messageId: string }> {
    const { mail: service } = await this.clients();
    try {
      const [response] = await service.send({
        to: { email: mail.to, name: mail.toName },
        from: this.options.from,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        categories: [mail.category],
        customArgs: { confirmationId: mail.confirmationId },
      });
      const messageId: unknown = (response.headers as Record<string, unknown>)['x-message-id'];
      return { messageId: typeof messageId === 'string' ? messageId : '' };
    } catch (error) {
      throw sendGridFailure(error, `confirmation mail ${mail.confirmationId}`);
    }
  }

  /** SendGrid's Email Activity, searched by the mail's custom argument (an add-on: without it SendGrid answers 403 or 404). */
  async findSent(confirmationId: string): Promise<{ messageId: string } | undefined | 'unknown'> {
    const { client } = await this.clients();
    try {
      const answer: [unknown, unknown] = await client.request({
        method: 'GET',
        url: '/v3/messages',
        qs: { query: `unique_args['confirmationId']="${confirmationId.replace(/"/g, '')}"`, limit: 1 },
      });
      const found = (answer[1] as { messages?: { msg_id?: string }[] }).messages?.[0];
      return found === undefined ? undefined : { messageId: found.msg_id ?? '' };
    } catch (error) {
      const status = (error as { code?: unknown }).code;
      if (status === 403 || status === 404) return 'unknown';
      throw sendGridFailure(error, `searching SendGrid's Email Activity for ${confirmationId}`);
    }
  }
}
