import type { JsonReply, JsonRequest } from '../JsonServer';
import { Sandbox } from '../Sandbox';

export interface SandboxMailSinkOptions {
  host: string;
  port: number;
  apiKey: string;
  /** Its journal, where its mails survive a restart (`npm start`); in memory only when left out. */
  journal?: string;
  log: (line: string) => void;
}

/** One mail as the sink received it (SendGrid's v3 mail/send body). */
export interface SunkMail {
  to: string;
  subject: string;
  text: string;
  categories: string[];
  orderId?: string;
  receivedAt: string;
}

interface MailSendBody {
  personalizations?: { to?: { email?: string }[]; custom_args?: Record<string, string> }[];
  subject?: string;
  content?: { type?: string; value?: string }[];
  categories?: string[];
  custom_args?: Record<string, string>;
}

/**
 * Stands in for SendGrid locally: takes `POST /v3/mail/send` as SendGrid does (Bearer key, 202)
 * and keeps the mails for the demo and the tests to read (`GET /_control/mails`).
 */
export class SandboxMailSink extends Sandbox<SunkMail> {
  readonly mails: SunkMail[] = [];

  constructor(options: SandboxMailSinkOptions) {
    super(options);
    this.server
      .on('POST', /^\/v3\/mail\/send$/, (req) => this.receive(req, options.apiKey))
      .on('GET', /^\/_control\/mails$/, () => ({ status: 200, body: { value: this.mails } }));
  }

  protected apply(mail: SunkMail): void {
    this.mails.push(mail);
  }

  protected snapshot(): SunkMail[] {
    return this.mails;
  }

  protected override fromEarlierFormat(state: unknown): SunkMail[] {
    return (state as { mails: SunkMail[] }).mails;
  }

  private receive(req: JsonRequest, apiKey: string): JsonReply {
    const auth = req.headers.authorization;
    if (auth !== `Bearer ${apiKey}`) return { status: 401, body: { errors: [{ message: 'missing or wrong API key' }] } };
    const body = req.body as MailSendBody;
    const to = body.personalizations?.[0]?.to?.[0]?.email;
    if (to === undefined || body.subject === undefined)
      return { status: 400, body: { errors: [{ message: 'to and subject are required' }] } };
    const orderId = body.personalizations?.[0]?.custom_args?.orderId ?? body.custom_args?.orderId;
    this.record({
      to,
      subject: body.subject,
      text: body.content?.find((c) => c.type === 'text/plain')?.value ?? '',
      categories: body.categories ?? [],
      ...(orderId === undefined ? {} : { orderId }),
      receivedAt: new Date().toISOString(),
    });
    return { status: 202 };
  }
}
