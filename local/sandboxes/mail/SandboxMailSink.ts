import { randomBytes } from 'node:crypto';
import { FaultInjector } from '../faults';
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
  /** The id SendGrid answers with (`X-Message-Id`). */
  messageId: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  categories: string[];
  /** `custom_args` of the mail and its personalization: what SendGrid's events and Email Activity carry back. */
  customArgs: Record<string, string>;
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

/** SendGrid's error document. */
const errors = (message: string): unknown => ({ errors: [{ message, field: null, help: null }] });

/**
 * Stands in for SendGrid locally: `POST /v3/mail/send` as SendGrid takes it (Bearer key, 202 with
 * `X-Message-Id`), the Email Activity API's search by custom argument (`GET /v3/messages`), faults
 * at run time (503, 429, latency, down), and the mails for the demo and the tests (`GET /_control/mails`).
 */
export class SandboxMailSink extends Sandbox<SunkMail> {
  readonly mails: SunkMail[] = [];
  readonly injector = new FaultInjector((_, message) => errors(message));

  constructor(private readonly options: SandboxMailSinkOptions) {
    super(options);
    this.injector.routes(this.server);
    this.server
      .on('POST', /^\/v3\/mail\/send$/, async (req) => this.refused(req) ?? (await this.injector.before()) ?? this.receive(req))
      .on('GET', /^\/v3\/messages$/, (req) => this.refused(req) ?? this.search(req))
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

  private refused(req: JsonRequest): JsonReply | undefined {
    return req.headers.authorization === `Bearer ${this.options.apiKey}`
      ? undefined
      : { status: 401, body: errors('missing or wrong API key') };
  }

  private receive(req: JsonRequest): JsonReply {
    const body = (req.body ?? {}) as MailSendBody;
    const to = body.personalizations?.[0]?.to?.[0]?.email;
    if (to === undefined || body.subject === undefined) return { status: 400, body: errors('to and subject are required') };
    const customArgs = { ...body.custom_args, ...body.personalizations?.[0]?.custom_args };
    const messageId = randomBytes(16).toString('base64url');
    this.record({
      messageId,
      to,
      subject: body.subject,
      text: body.content?.find((c) => c.type === 'text/plain')?.value ?? '',
      html: body.content?.find((c) => c.type === 'text/html')?.value ?? '',
      categories: body.categories ?? [],
      customArgs,
      ...(customArgs.orderId === undefined ? {} : { orderId: customArgs.orderId }),
      receivedAt: new Date().toISOString(),
    });
    return { status: 202, headers: { 'x-message-id': messageId } };
  }

  /** Email Activity: `query=unique_args['name']="value"`, the mails carrying that custom argument, newest first. */
  private search(req: JsonRequest): JsonReply {
    const query = req.query.get('query') ?? '';
    const match = /unique_args\['([^']+)'\]\s*=\s*"([^"]*)"/.exec(query);
    if (match === null) return { status: 400, body: errors(`this sandbox searches by unique_args['name']="value" only, not: ${query}`) };
    const [, name = '', value] = match;
    const limit = Number(req.query.get('limit') ?? 10);
    const found = this.mails
      .filter((m) => m.customArgs[name] === value)
      .reverse()
      .slice(0, limit);
    return {
      status: 200,
      body: {
        messages: found.map((m) => ({
          msg_id: m.messageId,
          from_email: '',
          subject: m.subject,
          to_email: m.to,
          status: 'delivered',
          opens_count: 0,
          clicks_count: 0,
          last_event_time: m.receivedAt,
        })),
      },
    };
  }
}
