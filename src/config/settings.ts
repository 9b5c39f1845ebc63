import { z } from 'zod';
import { ErrorCodes } from '../domain/errorCodes';
import { HubError } from '../domain/HubError';
import { refuseIdentityMixes } from './identitySettings';
import { parseServiceBusConnectionString } from './serviceBusConnectionString';
import { isTimeZone } from '../domain/businessDay';

/** An NCRONTAB expression (six fields, seconds first, UTC), read by the Functions host itself, so an app setting. */
const schedule = z
  .string()
  .trim()
  .regex(/^\S+(\s+\S+){5}$/, 'an NCRONTAB expression of six fields: {second} {minute} {hour} {day} {month} {day-of-week}');

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const httpsUrl = z.url({ protocol: /^https$/, error: 'an https:// URL' });

/**
 * Every app setting the hub reads, declared once. A test checks `local.settings.sample.json`
 * against this schema.
 */
export const settingsSchema = z
  .object({
    /**
     * Storage account for ledger, journeys, parked messages and claim checks, as a connection
     * string (Azurite). In Azure leave it out and set the `AzureWebJobsStorage__…` identity
     * settings below instead.
     */
    AzureWebJobsStorage: z.string().min(1).optional(),
    /** The storage account's name, for managed identity: its service URIs follow from it. */
    AzureWebJobsStorage__accountName: z
      .string()
      .regex(/^[a-z0-9]{3,24}$/, 'a storage account name: 3 to 24 lower-case letters and digits')
      .optional(),
    /** The account's service URIs, for managed identity (instead of, or as well as, its name). */
    AzureWebJobsStorage__blobServiceUri: httpsUrl.optional(),
    AzureWebJobsStorage__queueServiceUri: httpsUrl.optional(),
    AzureWebJobsStorage__tableServiceUri: httpsUrl.optional(),
    /** `managedidentity` with the identity settings: how the host and the hub reach storage. */
    AzureWebJobsStorage__credential: z.literal('managedidentity').optional(),
    /** The user-assigned identity's client id, for the host's storage connection. */
    AzureWebJobsStorage__clientId: z.uuid().optional(),
    /**
     * Service Bus connection string: `Endpoint=sb://…` is used through the SDK (AMQP),
     * `Endpoint=http(s)://…` through Service Bus's REST API (the local namespace of `npm start`).
     * In Azure leave it out and set the namespace below instead (managed identity).
     */
    ServiceBusConnection: z
      .string()
      .min(1)
      .superRefine((value, context) => {
        try {
          parseServiceBusConnectionString(value);
        } catch (error) {
          context.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) });
        }
      })
      .optional(),
    /** Service Bus namespace for managed identity, e.g. `orderhub.servicebus.windows.net`. */
    ServiceBusConnection__fullyQualifiedNamespace: z
      .string()
      .regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/i, 'a host name such as orderhub.servicebus.windows.net, without a scheme')
      .optional(),
    /** `managedidentity`: how the host's Service Bus trigger reaches the namespace. */
    ServiceBusConnection__credential: z.literal('managedidentity').optional(),
    /** The user-assigned identity's client id, for the host's Service Bus trigger. */
    ServiceBusConnection__clientId: z.uuid().optional(),
    /**
     * The Service Bus namespace's resource id, for reading its queues' depths through Azure Resource
     * Manager with the managed identity (its Reader role on the namespace); infra/ sets it.
     */
    SERVICE_BUS_RESOURCE_ID: z
      .string()
      .regex(
        /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.ServiceBus\/namespaces\/[^/]+$/i,
        'a Service Bus namespace resource id',
      )
      .optional(),
    /** The user-assigned managed identity the hub's own clients use (storage, Service Bus, Event Grid). */
    AZURE_CLIENT_ID: z.uuid().optional(),
    /** Base URL of the ECP REST API, e.g. `https://shop.example.com/api`. */
    ECP_BASE_URL: z.url(),
    ECP_API_KEY: z.string().min(1),
    /** @default 10000 */
    ECP_TIMEOUT_MS: positiveInt(10_000),
    /** The name the ECP records on the hub's own changes (its API client): their events are echoes. @default order-hub */
    ECP_CLIENT_NAME: z.string().min(1).default('order-hub'),
    /**
     * An ECP may answer 404 for an order it has only just created: an order event younger than this
     * whose order the ECP does not show is delivered again by Event Grid; an older one is parked
     * (ECP.ORDER_NOT_FOUND). @default 900000 (15 minutes)
     */
    ECP_ORDER_NOT_FOUND_GRACE_MS: positiveInt(900_000),
    /** Base URL of the ERP REST API. */
    ERP_BASE_URL: z.url(),
    ERP_API_KEY: z.string().min(1),
    /** @default 15000 */
    ERP_TIMEOUT_MS: positiveInt(15_000),
    /** Attempts at one order before it is parked. @default 10 */
    ORDER_RETRY_MAX_ATTEMPTS: positiveInt(10),
    /** First retry delay; doubled each attempt, half of it random (equal jitter). @default 5000 */
    ORDER_RETRY_BASE_DELAY_MS: positiveInt(5_000),
    /** Upper bound of one retry delay. @default 600000 */
    ORDER_RETRY_MAX_DELAY_MS: positiveInt(600_000),
    /**
     * How long one attempt may hold an order before another may take over (and look the order up
     * in the ERP first). Must exceed ERP_TIMEOUT_MS. @default 60000
     */
    ORDER_SUBMISSION_LEASE_MS: positiveInt(60_000),
    /**
     * Look every order up in the ERP by external document number before creating it, not only after
     * a create that may have gone unanswered. Turn it on for the hours after a storage failover or a
     * restore (the ledger may have lost its latest writes), and where storage may lose recent writes
     * (the local stack's Azurite after a crash). Costs one ERP call per order. @default false
     */
    ERP_LOOKUP_BEFORE_CREATE: z.stringbool().default(false),
    /**
     * Secrets the ERP signs its callbacks with, comma-separated: more than one while a secret is
     * rotated (the ERP switches, then the old one is removed).
     */
    ERP_CALLBACK_SECRETS: z
      .string()
      .transform((value) =>
        value
          .split(',')
          .map((secret) => secret.trim())
          .filter((secret) => secret !== ''),
      )
      .pipe(z.array(z.string().min(16, 'each secret needs at least 16 characters')).min(1, 'give at least one secret')),
    /** The Event Grid topic `order-lifecycle`: its endpoint. */
    LIFECYCLE_TOPIC_ENDPOINT: z.url(),
    /** The topic's access key; leave it out in Azure to publish with the managed identity (EventGrid Data Sender). */
    LIFECYCLE_TOPIC_KEY: z.string().min(1).optional(),
    /** SendGrid, for mails to customers (confirmations, a rejected order). */
    SENDGRID_API_KEY: z.string().min(1),
    /** Another SendGrid base URL: locally, the sandbox mail sink. */
    SENDGRID_BASE_URL: z.url().optional(),
    MAIL_FROM_ADDRESS: z.email(),
    /** @default Order Hub */
    MAIL_FROM_NAME: z.string().min(1).default('Order Hub'),
    /** @default 10000 */
    SENDGRID_TIMEOUT_MS: positiveInt(10_000),
    /**
     * How long a confirmation mail whose send may have reached SendGrid (a timeout, a crash) waits
     * before SendGrid's Email Activity is asked whether it was sent; it must outlast the Email
     * Activity's delay. @default 600000 (10 minutes)
     */
    CONFIRMATION_MAIL_LEASE_MS: positiveInt(600_000),
    /** Mailchimp Marketing API key; it ends in the account's data centre, e.g. `-us21`. */
    MAILCHIMP_API_KEY: z.string().regex(/^[^-]+-[a-z]+\d+$/, 'a Mailchimp API key ends in its data centre, e.g. …-us21'),
    /** The audience (list) consenting customers are added to. */
    MAILCHIMP_LIST_ID: z.string().min(1),
    /** Another Mailchimp API base URL (`…/3.0`): locally, the sandbox. */
    MAILCHIMP_BASE_URL: z.url().optional(),
    /** The status a new member gets: `subscribed`, or `pending` to have Mailchimp ask for confirmation (double opt-in). @default subscribed */
    MAILCHIMP_STATUS_IF_NEW: z.enum(['subscribed', 'pending']).default('subscribed'),
    /** @default 10000 */
    MAILCHIMP_TIMEOUT_MS: positiveInt(10_000),
    /** Folder of the confirmation mail templates, relative to the app's folder. @default templates */
    TEMPLATES_DIR: z.string().min(1).default('templates'),
    /** A confirmation branch's first retry after a transient failure; doubled each attempt. @default 5000 */
    CONFIRMATION_RETRY_FIRST_MS: positiveInt(5_000),
    /** Attempts at one confirmation branch before it is parked. @default 6 */
    CONFIRMATION_RETRY_MAX_ATTEMPTS: positiveInt(6),
    /** Upper bound of one retry interval of a confirmation branch. @default 300000 */
    CONFIRMATION_RETRY_MAX_MS: positiveInt(300_000),
    /** The payment provider's API (charges), e.g. `https://api.payments.example`. */
    PAYMENT_BASE_URL: z.url(),
    /** The payment provider's secret key (server side). */
    PAYMENT_API_KEY: z.string().min(1),
    /** @default 10000 */
    PAYMENT_TIMEOUT_MS: positiveInt(10_000),
    /** The registration intake's price list (CSV: code, description, unitPrice, currency), relative to the app's folder. @default prices/registrations.csv */
    REGISTRATION_PRICE_LIST: z.string().min(1).default('prices/registrations.csv'),
    /** Folder of the operators' dashboard as `npm run build` leaves it, relative to the app's folder. @default dist/ui */
    OPS_UI_DIR: z.string().min(1).default('dist/ui'),
    /** Folder of the mapping files, relative to the app's folder. @default mappings */
    MAPPINGS_DIR: z.string().min(1).default('mappings'),
    /**
     * When the reconciler runs: an NCRONTAB expression (six fields, seconds first, UTC), read by the
     * Functions host itself (`%RECONCILER_SCHEDULE%`), so it must be an app setting: infra/ sets
     * every 15 minutes, the local stack every minute.
     */
    RECONCILER_SCHEDULE: schedule,
    /** How far back each reconciler run lists the ECP's created or changed orders. @default 86400000 (a day) */
    RECONCILER_WINDOW_MS: positiveInt(86_400_000),
    /** An order changed more recently than this is left for the next run: its event may be on the way. @default 300000 (5 minutes) */
    RECONCILER_SETTLE_MS: positiveInt(300_000),
    /** A create without the ERP's answer for this long is looked up in the ERP by the reconciler. @default 1800000 (30 minutes) */
    RECONCILER_LOOKUP_AFTER_MS: positiveInt(1_800_000),
    /** An order awaiting a retry for this long has lost it (dead-lettered): the reconciler queues it again. @default 3600000 (an hour) */
    RECONCILER_STUCK_AFTER_MS: positiveInt(3_600_000),
    /** Orders the reconciler checks at once. @default 16 */
    RECONCILER_CONCURRENCY: positiveInt(16),
    /** When the stock delta sync runs (NCRONTAB, `%STOCK_SYNC_SCHEDULE%`): infra/ and the local stack every minute. */
    STOCK_SYNC_SCHEDULE: schedule,
    /** When the full stock reconciliation starts (NCRONTAB, `%STOCK_FULL_SYNC_SCHEDULE%`): nightly, at 02:30 UTC in infra/. */
    STOCK_FULL_SYNC_SCHEDULE: schedule,
    /** When the price sync runs (NCRONTAB, `%STOCK_PRICE_SYNC_SCHEDULE%`): infra/ every 15 minutes, the local stack every minute. */
    STOCK_PRICE_SYNC_SCHEDULE: schedule,
    /** ERP ledger entries one delta sync takes at the most (the next run goes on from there). @default 100000 */
    STOCK_MAX_ENTRIES_PER_RUN: positiveInt(100_000),
    /** Tries of one shop call before its rows are refused for the run (a 429 waits its Retry-After). @default 8 */
    STOCK_CALL_ATTEMPTS: positiveInt(8),
    /** How often a row the shop changes while the hub sets it is read and pushed again within a run. @default 3 */
    STOCK_STALE_RETRIES: positiveInt(3),
    /**
     * The ERP's time zone, in which its price lists' validity dates are days (IANA, e.g.
     * `Europe/Amsterdam`): the price sync takes the lines valid on today's date there. @default UTC
     */
    PRICE_LIST_TIME_ZONE: z
      .string()
      .trim()
      .default('UTC')
      .refine(isTimeZone, 'not an IANA time zone this runtime knows (such as Europe/Amsterdam or UTC)'),
  })
  .superRefine(refuseIdentityMixes)
  .refine((s) => Boolean(s.ServiceBusConnection) !== Boolean(s.ServiceBusConnection__fullyQualifiedNamespace), {
    message: 'set exactly one of ServiceBusConnection and ServiceBusConnection__fullyQualifiedNamespace',
    path: ['ServiceBusConnection'],
  })
  .refine((s) => s.ORDER_SUBMISSION_LEASE_MS > s.ERP_TIMEOUT_MS, {
    message: 'must be greater than ERP_TIMEOUT_MS',
    path: ['ORDER_SUBMISSION_LEASE_MS'],
  })
  // An order whose retry is merely scheduled must not look lost to the reconciler.
  .refine((s) => s.RECONCILER_STUCK_AFTER_MS > s.ORDER_RETRY_MAX_DELAY_MS, {
    message: 'must be greater than ORDER_RETRY_MAX_DELAY_MS (a retry that is only scheduled is not lost)',
    path: ['RECONCILER_STUCK_AFTER_MS'],
  })
  .refine((s) => s.RECONCILER_LOOKUP_AFTER_MS > s.ORDER_RETRY_MAX_DELAY_MS, {
    message: 'must be greater than ORDER_RETRY_MAX_DELAY_MS (the retry looks the order up itself)',
    path: ['RECONCILER_LOOKUP_AFTER_MS'],
  });

export type Settings = z.infer<typeof settingsSchema>;

/** Reads and checks the settings; a missing or malformed one stops start-up with its name. */
export function loadSettings(env: Record<string, string | undefined> = process.env): Settings {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  // Azure leaves a Key Vault reference it could not resolve as it is.
  const unresolved = Object.entries(present)
    .filter(([, value]) => value?.startsWith('@Microsoft.KeyVault(') === true)
    .map(
      ([name]) =>
        `${name}: a Key Vault reference Azure did not resolve (is the secret in the vault, and the identity its Key Vault Secrets User?)`,
    );
  const result = settingsSchema.safeParse(present);
  if (result.success && unresolved.length === 0) return result.data;
  const problems = [...unresolved, ...(result.success ? [] : result.error.issues)].map((issue) => {
    if (typeof issue === 'string') return issue;
    const name = issue.path.join('.') || '(settings)';
    const missing = issue.code === 'invalid_type' && present[name] === undefined;
    return `${name}: ${missing ? 'missing' : issue.message}`;
  });
  throw new HubError(ErrorCodes.SETTINGS_INVALID, `invalid app settings:\n  ${problems.join('\n  ')}`, {
    transient: false,
    details: problems,
  });
}
