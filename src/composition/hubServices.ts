import { ClaimCheckSender } from '../adapters/claimCheck/ClaimCheckSender';
import { InFlightUnitsTable } from '../adapters/tables/InFlightUnitsTable';
import { ClaimCheckStore } from '../adapters/claimCheck/ClaimCheckStore';
import { EcpRestClient } from '../adapters/ecp/EcpRestClient';
import { EventGridLifecyclePublisher } from '../adapters/eventGrid/EventGridLifecyclePublisher';
import { SendGridMailer } from '../adapters/mail/SendGridMailer';
import { CallbackSignatureTable } from '../adapters/tables/CallbackSignatureTable';
import { ErpRestClient } from '../adapters/erp/ErpRestClient';
import { JourneyTable } from '../adapters/tables/JourneyTable';
import { LedgerTable } from '../adapters/tables/LedgerTable';
import { OrderIndexTable } from '../adapters/tables/OrderIndexTable';
import { ParkedTable } from '../adapters/tables/ParkedTable';
import path from 'node:path';
import { loadSettings, type Settings } from '../config/settings';
import { loadMappings, type MappingSet } from '../mapping/loadMappings';
import { HubMappings } from '../mapping/mappingNames';
import type { AcceptErpCallbackDeps } from '../flows/erpToEcp/acceptErpCallback';
import type { UpdateEcpOrderDeps } from '../flows/erpToEcp/updateEcpOrder';
import type { ProcessOrderEventDeps } from '../flows/orderToErp/processOrderEvent';
import type { IntegrateOrderDeps } from '../flows/orderToErp/integrateOrder';
import type { ReplayDeps } from '../flows/operations/replayParked';
import type { JourneyPort } from '../ports/JourneyPort';
import type { MailConfirmationDeps } from '../flows/confirmations/mailConfirmation';
import type { RecordConfirmationDeps } from '../flows/confirmations/recordConfirmation';
import type { SettleConfirmationDeps } from '../flows/confirmations/settleConfirmation';
import type { StartConfirmationDeps } from '../flows/confirmations/startConfirmation';
import type { SubscribeCustomerDeps } from '../flows/confirmations/subscribeCustomer';
import { MailchimpMailingList } from '../adapters/mailchimp/MailchimpMailingList';
import { ConfirmationTable } from '../adapters/tables/ConfirmationTable';
import { loadTemplates } from '../templates/loadTemplates';
import { PaymentProviderClient } from '../adapters/payment/PaymentProviderClient';
import { RegistrationTable } from '../adapters/tables/RegistrationTable';
import type { TakeRegistrationDeps } from '../flows/registrations/takeRegistration';
import { loadPriceList } from '../registrations/loadPriceList';
import { azureAccessOf } from './azureAccess';
import { QueueNames } from '../config/queues';
import { TracedQueueSender } from '../telemetry/TracedQueueSender';
import type { DryRunDeps } from '../flows/operations/dryRunReplay';
import type { OrderDocumentDeps } from '../flows/operations/orderDocument';
import { subjectOfConfirmationMessage } from '../flows/confirmations/confirmationSubject';
import { createQueueDepths, createQueueSender } from './serviceBusClients';
import type { SearchOrdersDeps } from '../flows/operations/searchOrders';
import type { OrderStatsDeps } from '../flows/operations/orderStats';
import { ReconcileRunTable } from '../adapters/tables/ReconcileRunTable';
import { ReplayJobTable } from '../adapters/tables/ReplayJobTable';
import { StockStateTables } from '../adapters/tables/StockStateTables';
import { ErpStockClient } from '../adapters/erp/ErpStockClient';
import { EcpInventoryClient } from '../adapters/ecp/EcpInventoryClient';
import type { DeltaSyncDeps } from '../flows/inventory/deltaSync';
import { loadStockCatalog } from '../inventory/loadStockCatalog';
import type { ReconcileDeps } from '../flows/reconciliation/reconcileOrders';

/** The adapters the use cases need, built once from the settings. */
export interface HubServices {
  settings: Settings;
  mappings: MappingSet;
  ledger: LedgerTable;
  /** Where every step of every order is recorded (`JourneyRecorder` writes them). */
  journeys: JourneyPort;
  processOrderEvent: ProcessOrderEventDeps;
  integrateOrder: IntegrateOrderDeps;
  acceptErpCallback: AcceptErpCallbackDeps;
  updateEcpOrder: UpdateEcpOrderDeps;
  replay: ReplayDeps;
  /** What the operators' API and CLI read, and the mappings in force a dry run maps with. */
  operations: OrderDocumentDeps & DryRunDeps & SearchOrdersDeps & OrderStatsDeps;
  startConfirmation: Omit<StartConfirmationDeps, 'orchestrations'>;
  takeRegistration: Omit<TakeRegistrationDeps, 'statusUrlOf'>;
  /** What the confirmation branches and their conclusion need. */
  confirmations: RecordConfirmationDeps & MailConfirmationDeps & SubscribeCustomerDeps & SettleConfirmationDeps;
  /** What the reconciler compares and acts with. */
  reconcile: ReconcileDeps;
  /** The replay jobs' ids (the task hub holds the jobs). */
  replayJobIds: ReplayJobTable;
  /** Stock and its sync from the ERP to the shop. */
  stock: DeltaSyncDeps;
}

/**
 * Every mapping file, mail template and the price list compiled at start: a broken one stops the
 * host with file, line and field.
 */
export function createHubServices(
  settings: Settings,
  mappings = loadMappings(path.resolve(settings.MAPPINGS_DIR)),
  templates = loadTemplates(path.resolve(settings.TEMPLATES_DIR), settings.TEMPLATES_DIR),
  prices = loadPriceList(path.resolve(settings.REGISTRATION_PRICE_LIST), settings.REGISTRATION_PRICE_LIST),
  stockCatalog = loadStockCatalog(path.resolve(settings.MAPPINGS_DIR), settings.MAPPINGS_DIR),
): HubServices {
  const now = (): Date => new Date();
  const access = azureAccessOf(settings);
  const journeys = new JourneyTable(access.storage);
  const parked = new ParkedTable(access.storage);
  const confirmations = new ConfirmationTable(access.storage);
  const orderIndex = new OrderIndexTable(access.storage);
  const ledger = new LedgerTable(access.storage, orderIndex);
  const claimChecks = new ClaimCheckStore(access.storage);
  const inFlight = new InFlightUnitsTable(access.storage);
  const sender = new TracedQueueSender(
    new ClaimCheckSender(createQueueSender(settings, access.credential), claimChecks),
    (queue, message) =>
      queue === QueueNames.CONFIRMATIONS ? subjectOfConfirmationMessage(message.body, message.sessionId) : { orderId: message.sessionId },
  );
  const lifecycle = new EventGridLifecyclePublisher(settings.LIFECYCLE_TOPIC_ENDPOINT, access.lifecycleTopic);
  const ecp = new EcpRestClient({ baseUrl: settings.ECP_BASE_URL, apiKey: settings.ECP_API_KEY, timeoutMs: settings.ECP_TIMEOUT_MS });
  const mailer = new SendGridMailer({
    apiKey: settings.SENDGRID_API_KEY,
    from: { email: settings.MAIL_FROM_ADDRESS, name: settings.MAIL_FROM_NAME },
    ...(settings.SENDGRID_BASE_URL === undefined ? {} : { baseUrl: settings.SENDGRID_BASE_URL }),
    timeoutMs: settings.SENDGRID_TIMEOUT_MS,
  });
  const retryPolicy = {
    maxAttempts: settings.ORDER_RETRY_MAX_ATTEMPTS,
    baseDelayMs: settings.ORDER_RETRY_BASE_DELAY_MS,
    maxDelayMs: settings.ORDER_RETRY_MAX_DELAY_MS,
  };
  const erp = new ErpRestClient({ baseUrl: settings.ERP_BASE_URL, apiKey: settings.ERP_API_KEY, timeoutMs: settings.ERP_TIMEOUT_MS });
  const mappingsInForce: DryRunDeps = {
    orderMappings: {
      ecpOrderToCanonical: mappings.get(HubMappings.ECP_ORDER_TO_CANONICAL.name),
      canonicalToErpSalesOrder: mappings.get(HubMappings.CANONICAL_TO_ERP_SALES_ORDER.name),
    },
    updateMapping: mappings.get(HubMappings.CANONICAL_UPDATE_TO_ECP_ORDER_UPDATE.name),
  };
  const processOrderEvent: ProcessOrderEventDeps = {
    ownClientName: settings.ECP_CLIENT_NAME,
    lifecycle,
    ecp,
    sender,
    inFlight,
    parked,
    orderNotFoundGraceMs: settings.ECP_ORDER_NOT_FOUND_GRACE_MS,
    now,
  };
  return {
    settings,
    mappings,
    ledger,
    journeys,
    processOrderEvent,
    acceptErpCallback: {
      secrets: settings.ERP_CALLBACK_SECRETS,
      replayGuard: new CallbackSignatureTable(access.storage),
      mapping: mappings.get(HubMappings.ERP_CALLBACK_TO_CANONICAL_UPDATE.name),
      sender,
      now,
    },
    updateEcpOrder: {
      ledger,
      parked,
      ecp,
      lifecycle,
      mail: mailer,
      sender,
      mapping: mappings.get(HubMappings.CANONICAL_UPDATE_TO_ECP_ORDER_UPDATE.name),
      retryPolicy,
      now,
      random: Math.random,
    },
    integrateOrder: {
      ledger,
      parked,
      erp,
      sender,
      claimChecks,
      lifecycle,
      inFlight,
      mappings: mappingsInForce.orderMappings,
      retryPolicy,
      submissionLeaseMs: settings.ORDER_SUBMISSION_LEASE_MS,
      lookUpBeforeEveryCreate: settings.ERP_LOOKUP_BEFORE_CREATE,
      now,
      random: Math.random,
    },
    replay: { parked, sender, orderEvents: processOrderEvent, mappingsInForce, now },
    operations: {
      journeys,
      ledger,
      parked,
      confirmations,
      ...mappingsInForce,
      index: orderIndex,
      queueDepths: createQueueDepths(settings, access.credential),
      now,
    },
    startConfirmation: {
      claimChecks,
      parked,
      sender,
      retryPolicy,
      branchRetry: {
        firstRetryIntervalMs: settings.CONFIRMATION_RETRY_FIRST_MS,
        maxAttempts: settings.CONFIRMATION_RETRY_MAX_ATTEMPTS,
        maxRetryIntervalMs: settings.CONFIRMATION_RETRY_MAX_MS,
      },
      now,
      random: Math.random,
    },
    takeRegistration: {
      prices,
      payments: new PaymentProviderClient({
        baseUrl: settings.PAYMENT_BASE_URL,
        apiKey: settings.PAYMENT_API_KEY,
        timeoutMs: settings.PAYMENT_TIMEOUT_MS,
      }),
      registrations: new RegistrationTable(access.storage),
      sender,
      now,
    },
    confirmations: {
      confirmations,
      mailer,
      templates,
      shop: { name: settings.MAIL_FROM_NAME, email: settings.MAIL_FROM_ADDRESS },
      leaseMs: settings.CONFIRMATION_MAIL_LEASE_MS,
      mailingList: new MailchimpMailingList({
        apiKey: settings.MAILCHIMP_API_KEY,
        listId: settings.MAILCHIMP_LIST_ID,
        ...(settings.MAILCHIMP_BASE_URL === undefined ? {} : { baseUrl: settings.MAILCHIMP_BASE_URL }),
        statusIfNew: settings.MAILCHIMP_STATUS_IF_NEW,
        timeoutMs: settings.MAILCHIMP_TIMEOUT_MS,
      }),
      parked,
      lifecycle,
      now,
    },
    replayJobIds: new ReplayJobTable(access.storage),
    stock: {
      erp: new ErpStockClient({ baseUrl: settings.ERP_BASE_URL, apiKey: settings.ERP_API_KEY, timeoutMs: settings.ERP_TIMEOUT_MS }),
      shop: new EcpInventoryClient({ baseUrl: settings.ECP_BASE_URL, apiKey: settings.ECP_API_KEY, timeoutMs: settings.ECP_TIMEOUT_MS }),
      inFlight,
      state: new StockStateTables(access.storage),
      catalog: stockCatalog,
      callAttempts: settings.STOCK_CALL_ATTEMPTS,
      staleRetries: settings.STOCK_STALE_RETRIES,
      priceListTimeZone: settings.PRICE_LIST_TIME_ZONE,
      ledgerPage: 1000,
      maxEntriesPerRun: settings.STOCK_MAX_ENTRIES_PER_RUN,
      now,
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    },
    reconcile: {
      ecp,
      erp,
      ledger,
      journeys,
      parked,
      sender,
      inFlight,
      lifecycle,
      runs: new ReconcileRunTable(access.storage),
      thresholds: {
        settleMs: settings.RECONCILER_SETTLE_MS,
        lookUpAfterMs: settings.RECONCILER_LOOKUP_AFTER_MS,
        stuckAfterMs: settings.RECONCILER_STUCK_AFTER_MS,
      },
      windowMs: settings.RECONCILER_WINDOW_MS,
      concurrency: settings.RECONCILER_CONCURRENCY,
      now,
    },
  };
}

let services: HubServices | undefined;

/** The app's services, from the process's settings; a bad setting or mapping throws here, at start-up. */
export function hubServices(): HubServices {
  services ??= createHubServices(loadSettings());
  return services;
}
