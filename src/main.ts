/**
 * Entry module of the function app (package.json "main"). Settings are checked first: a missing
 * or malformed one stops start-up with its name rather than failing on the first order.
 */
import { hubServices } from './composition/hubServices';

hubServices();

import './functions/orderEventsProcessor';
import './functions/erpIntegrator';
