/**
 * Entry module of the function app (package.json "main"). Telemetry starts first, where it is
 * configured. Settings, mapping files, mail templates and the price list are checked next: a
 * missing or malformed setting, a broken mapping, template or price list stops start-up with its
 * name (and file, line and field) rather than failing on the first order. Each flow registers its
 * functions, in the order an order meets them. The SDKs the functions use load on first use.
 */
import { hubServices } from './composition/hubServices';
import { startTelemetry } from './telemetry/startTelemetry';

startTelemetry();
hubServices();

// Order → ERP: ECP order events → online-orders → the ERP.
import './flows/orderToErp/orderEventsProcessor';
import './flows/orderToErp/erpIntegrator';
// ERP → ECP: signed status callbacks → erp-updates → the ECP.
import './flows/erpToEcp/erpCallback';
import './flows/erpToEcp/ecpUpdater';
// Confirmations: confirmations → the Durable orchestration (save │ email │ mailing list) → the customer.
import './flows/confirmations/confirmationStarter';
import './flows/confirmations/confirmation';
import './flows/confirmations/saveConfirmation';
import './flows/confirmations/sendConfirmationEmail';
import './flows/confirmations/addToMailingList';
import './flows/confirmations/concludeConfirmation';
// Registrations: POST /api/registrations → charged once → confirmations.
import './flows/registrations/registrationIntake';
// Reconciliation: a timer compares the ECP's recent orders with the ledger and brings lost ones on their way.
import './flows/reconciliation/reconciler';
// Stock: a timer brings the ERP's stock changes to the shop, never above what it may sell.
import './flows/inventory/stockDeltaSync';
// ... and nightly (or when asked) a full reconciliation of every SKU, a Durable orchestration that resumes after a crash.
import './flows/inventory/stockFullSyncTimer';
import './flows/inventory/stockFullSync';
// ... and the prices valid today, every so often.
import './flows/inventory/stockPriceSync';
// ... and the operators' view of it: runs, a SKU's figures, a sync on demand.
import './flows/operations/opsStockSync';
import './flows/operations/opsStockRuns';
import './flows/operations/opsStockOfSku';
// Operations: the operators' API (function keys), over the same use cases as `npx hub`.
import './flows/operations/opsOrders';
import './flows/operations/opsOrder';
import './flows/operations/opsStats';
import './flows/operations/opsReconcilerRuns';
// The operators' dashboard: a page over the ops API.
import './flows/operations/opsUi';
import './flows/operations/opsFailures';
import './flows/operations/opsReplay';
import './flows/operations/opsResolve';
// Replay jobs: a Durable orchestration replays the chosen parked entries a batch at a time, at the operator's rate.
import './flows/operations/opsReplayJobs';
import './flows/operations/replayJob';
import './flows/operations/replayBatch';
