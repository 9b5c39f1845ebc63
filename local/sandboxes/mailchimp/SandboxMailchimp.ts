import { createHash } from 'node:crypto';
import type { JsonReply, JsonRequest } from '../JsonServer';
import { FaultInjector } from '../faults';
import { Sandbox } from '../Sandbox';

export interface SandboxMailchimpOptions {
  host: string;
  port: number;
  /** The API key it accepts: `<key>-<data centre>`, as Mailchimp issues them. */
  apiKey: string;
  /** The audience (list) it holds. */
  listId: string;
  /** Members it starts with (people who unsubscribed, or asked to be forgotten, before the hub existed). */
  seeded?: readonly SeededMember[];
  /** Its journal, where its members survive a restart (`npm start`); in memory only when left out. */
  journal?: string;
  log: (line: string) => void;
}

/** A member the list starts with: in compliance state (unsubscribed, bounced, reviewed), or forgotten (deleted on request). */
export interface SeededMember {
  email: string;
  state: 'compliance' | 'forgotten';
}

/** A list member as Mailchimp's Marketing API shows it. */
export interface MailchimpMember {
  id: string;
  email_address: string;
  status: 'subscribed' | 'unsubscribed' | 'cleaned' | 'pending' | 'transactional';
  merge_fields: Record<string, string>;
  list_id: string;
  timestamp_signup: string;
  last_changed: string;
  /** How many times the hub's upsert reached it (the tests count repeats). */
  upserts: number;
}

/** Mailchimp answers 429 above this many simultaneous connections per API key. */
const MAX_CONNECTIONS = 10;

const hashOf = (email: string): string => createHash('md5').update(email.toLowerCase()).digest('hex');

/** Mailchimp's error document (RFC 7807 problem details). */
function problem(status: number, title: string, detail: string): JsonReply {
  return { status, body: { type: 'https://mailchimp.com/developer/marketing/docs/errors/', title, status, detail, instance: '' } };
}

/**
 * Stands in for Mailchimp's Marketing API v3 (the official client is pointed at it): list members
 * by subscriber hash (`PUT` upsert with `status_if_new`, `GET`), members of a list, Basic auth with
 * an API key ending in its data centre, 429 past 10 simultaneous connections, and the answers for
 * members in compliance state and forgotten ones. `GET /_control/members` lists them all.
 */
export class SandboxMailchimp extends Sandbox<MailchimpMember> {
  readonly members = new Map<string, MailchimpMember>();
  /** The audiences it holds (a test may take one away, as an account owner deleting it would). */
  readonly lists: Set<string>;
  readonly injector = new FaultInjector((status, message) => ({
    type: 'https://mailchimp.com/developer/marketing/docs/errors/',
    title: status === 429 ? 'Too Many Requests' : 'Service Unavailable',
    status,
    detail: message,
    instance: '',
  }));
  private readonly forgotten = new Set<string>();
  private readonly compliance = new Set<string>();
  private connections = 0;

  constructor(private readonly options: SandboxMailchimpOptions) {
    super(options);
    this.lists = new Set([options.listId]);
    for (const member of options.seeded ?? []) (member.state === 'forgotten' ? this.forgotten : this.compliance).add(hashOf(member.email));
    this.injector.routes(this.server);
    const list = `/3\\.0/lists/([^/]+)`;
    this.server
      .on('PUT', new RegExp(`^${list}/members/([^/]+)$`), (req) => this.limited(req, () => this.upsert(req)))
      .on('GET', new RegExp(`^${list}/members/([^/]+)$`), (req) => this.limited(req, () => this.read(req)))
      .on('GET', new RegExp(`^${list}/members$`), (req) => this.limited(req, () => this.list(req)))
      .on('GET', /^\/_control\/members$/, () => ({ status: 200, body: { value: [...this.members.values()] } }));
  }

  protected apply(member: MailchimpMember): void {
    this.members.set(member.id, member);
  }

  protected snapshot(): MailchimpMember[] {
    return [...this.members.values()];
  }

  /** Auth, the connection limit and the faults, around one call. */
  private async limited(req: JsonRequest, handle: () => JsonReply): Promise<JsonReply> {
    const auth = req.headers.authorization ?? '';
    const key = auth.startsWith('Basic ') ? Buffer.from(auth.slice(6), 'base64').toString('utf8').split(':')[1] : undefined;
    if (key !== this.options.apiKey || !/-[a-z]+\d+$/.test(key))
      return problem(401, 'API Key Invalid', 'Your API key may be invalid, or you’ve attempted to access the wrong datacenter.');
    if (!this.lists.has(req.params[0] ?? '')) return problem(404, 'Resource Not Found', 'The requested resource could not be found.');
    if (this.connections >= MAX_CONNECTIONS)
      return problem(429, 'Too Many Requests', `You have exceeded the limit of ${MAX_CONNECTIONS} simultaneous connections.`);
    this.connections++;
    try {
      return (await this.injector.before()) ?? handle();
    } finally {
      this.connections--;
    }
  }

  private upsert(req: JsonRequest): JsonReply {
    const hash = req.params[1] ?? '';
    const body = (req.body ?? {}) as {
      email_address?: string;
      status_if_new?: string;
      status?: string;
      merge_fields?: Record<string, string>;
    };
    if (typeof body.email_address !== 'string' || (typeof body.status_if_new !== 'string' && typeof body.status !== 'string'))
      return problem(
        400,
        'Invalid Resource',
        'The resource submitted could not be validated: email_address and status_if_new are required.',
      );
    if (hashOf(body.email_address) !== hash)
      return problem(400, 'Invalid Resource', 'The subscriber hash does not match the email address.');
    if (this.forgotten.has(hash))
      return problem(
        400,
        'Forgotten Email Not Subscribed',
        `${body.email_address} was permanently deleted and cannot be re-imported. The contact must re-subscribe to get back on the list.`,
      );
    if (this.compliance.has(hash))
      return problem(
        400,
        'Member In Compliance State',
        `${body.email_address} is already a list member in compliance state due to unsubscribe, bounce, or compliance review and cannot be subscribed.`,
      );
    const now = new Date().toISOString();
    const existing = this.members.get(hash);
    const member: MailchimpMember = {
      id: hash,
      email_address: body.email_address,
      status: (body.status ?? existing?.status ?? body.status_if_new) as MailchimpMember['status'],
      merge_fields: { ...existing?.merge_fields, ...body.merge_fields },
      list_id: this.options.listId,
      timestamp_signup: existing?.timestamp_signup ?? now,
      last_changed: now,
      upserts: (existing?.upserts ?? 0) + 1,
    };
    this.record(member);
    return { status: 200, body: member };
  }

  private read(req: JsonRequest): JsonReply {
    const member = this.members.get(req.params[1] ?? '');
    return member === undefined
      ? problem(404, 'Resource Not Found', 'The requested resource could not be found.')
      : { status: 200, body: member };
  }

  private list(req: JsonRequest): JsonReply {
    const status = req.query.get('status');
    const all = [...this.members.values()].filter((m) => status === null || m.status === status);
    const offset = Number(req.query.get('offset') ?? 0);
    const count = Math.min(1000, Number(req.query.get('count') ?? 10));
    return { status: 200, body: { members: all.slice(offset, offset + count), list_id: this.options.listId, total_items: all.length } };
  }
}
