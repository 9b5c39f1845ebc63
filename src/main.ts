/**
 * Entry module of the function app (package.json "main"). Settings and mapping files are checked
 * first: a missing or malformed setting, or a broken mapping, stops start-up with its name (and
 * file, line and field) rather than failing on the first order. Then each flow registers its
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
