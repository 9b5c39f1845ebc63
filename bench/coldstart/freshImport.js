'use strict';
/**
 * One cold import of a deployment entry, in a fresh process, as the Functions worker loads it: a
 * stand-in for the worker's @azure/functions-core, the app settings of local.settings.sample.json
 * in the environment, then require(entry). Prints the milliseconds it took, then the packages it
 * loaded from beside the entry (dist/node_modules) as JSON. Plain JavaScript, so that nothing else
 * (no TypeScript loader, no source maps) is in the measurement.
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
  log() {},
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
const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
const beside = path.join(path.dirname(entry), 'node_modules') + path.sep;
const loaded = Object.keys(require.cache)
  .filter((file) => file.startsWith(beside))
  .map((file) => path.dirname(path.relative(beside, file)).split(path.sep).join('/'));
process.stdout.write(`${elapsedMs}\n${JSON.stringify(loaded.sort())}\n`);
process.exit(0);
