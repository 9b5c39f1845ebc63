/**
 * Entry module of the function app (package.json "main"). Settings and mapping files are checked
 * first: a missing or malformed setting, or a broken mapping, stops start-up with its name (and
 * file, line and field) rather than failing on the first order.
 */
import { hubServices } from './composition/hubServices';

hubServices();

import './functions/orderEventsProcessor';
import './functions/erpIntegrator';
import './functions/erpCallback';
import './functions/ecpUpdater';
