/**
 * Entry module of the function app (package.json "main"). Settings, mapping files and mail
 * templates and the price list are checked first: a missing or malformed setting, a broken mapping,
 * template or price list, stops
 * start-up with its name (and file, line and field) rather than failing on the first order. Then each flow registers its
 * functions, in the order an order meets them.
 */
import { hubServices } from './composition/hubServices';

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
