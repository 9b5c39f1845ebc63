#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, so `npx hub` works in a checkout without a build.
require('tsx/cjs');
require('../src/cli/hub.ts');
