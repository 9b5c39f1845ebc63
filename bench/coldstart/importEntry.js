'use strict';
/**
 * One cold import of a deployment entry, in a fresh process, as the Functions worker loads it: a
 * stand-in for the worker's @azure/functions-core, the app settings of local.settings.sample.json
 * in the environment, then require(entry). Prints the milliseconds it took. Plain JavaScript, so
 * that nothing else (no TypeScript loader, no source maps) is in the measurement.
 */
const Module = require('node:module');
const fs = require('node:fs');
const path = require('node:path');

const [entry, root, extraEnv] = process.argv.slice(2);
const core = {
  version: '3.10.1',
  hostVersion: '4.1000.0',
  registerFunction: () => ({ dispose() {} }),
  registerHook: () => ({ dispose() {} }),
  setProgrammingModel() {},
  getProgrammingModel() {},
};
const original = Module.prototype.require;
Module.prototype.require = function (id) {
  return id === '@azure/functions-core' ? core : original.apply(this, arguments);
};
Object.assign(
  process.env,
  JSON.parse(fs.readFileSync(path.join(root, 'local.settings.sample.json'), 'utf8')).Values,
  JSON.parse(extraEnv || '{}'),
);
process.chdir(root);
const started = process.hrtime.bigint();
require(entry);
process.stdout.write(`${Number(process.hrtime.bigint() - started) / 1e6}\n`);
process.exit(0);
