import { Client } from '@sendgrid/client';
import { MailService } from '@sendgrid/mail';
import { ErrorCodes } from '../../domain/errorCodes';
import { HubError } from '../../domain/HubError';
import type { CustomerMail, CustomerMailPort } from '../../ports/CustomerMailPort';

export interface SendGridOptions {
  apiKey: string;
  from: { email: string; name: string };
  /** Another base URL than SendGrid's (the local mail sink). */
  baseUrl?: string;
  timeoutMs: number;
}

/** Customer e-mails through SendGrid's v3 API, with the official client. */
export class SendGridMailer implements CustomerMailPort {
  private readonly mail = new MailService();

  constructor(private readonly options: SendGridOptions) {
    const client = new Client();
    client.setApiKey(options.apiKey);
    if (options.baseUrl !== undefined) client.setDefaultRequest('baseUrl', options.baseUrl);
    this.mail.setClient(client);
    this.mail.setTimeout(options.timeoutMs);
  }

  async send(mail: CustomerMail): Promise<void> {
    try {
      await this.mail.send({
        to: { email: mail.to, name: mail.toName },
        from: this.options.from,
        subject: mail.subject,
        text: mail.text,
        categories: [mail.category],
        customArgs: { orderId: mail.orderId },
      });
    } catch (error) {
      const status = (error as { code?: unknown }).code;
      const transient = typeof status !== 'number' || status >= 500 || status === 429;
      throw new HubError(
        ErrorCodes.MAIL_FAILED,
        `mail to the customer of order ${mail.orderId} failed${typeof status === 'number' ? ` with ${status}` : ''}`,
        { transient },
      );
    }
  }
}
