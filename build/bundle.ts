/**
 * `npm run build`: the app the way it is deployed, dist/main.js (package.json "main") with every
 * dependency bundled, except the module the Functions worker itself provides.
 *
 * Cold start: the SDKs the hub only needs once it has work (Service Bus, Tables, Blobs, Event Grid,
 * identity, SendGrid, Mailchimp, the telemetry exporters) are not in main.js; each is its own bundle
 * under dist/node_modules/<package>/, which Node finds first from dist/main.js, loaded by the adapter
 * that uses it (`await import(...)`) on first use. The entry file stays small, so the host compiles
 * and runs less before the first invocation. What must load at start stays in main.js: the
 * Functions and Durable libraries (registrations), and what checks the settings and compiles the
 * mappings, templates and price list (a broken one must stop the app).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build, type BuildOptions, type Plugin } from 'esbuild';
import { buildOpsUi } from './opsUi';

const ROOT = path.resolve(__dirname, '..');

/** The SDKs the functions use, loaded on first use (the eager bundle, for comparison, loads them at start). */
export const FUNCTION_SDKS = [
  '@azure/service-bus',
  '@azure/data-tables',
  '@azure/storage-blob',
  '@azure/eventgrid',
  '@azure/identity',
  '@sendgrid/client',
  '@sendgrid/mail',
  '@mailchimp/mailchimp_marketing',
] as const;

/** Telemetry, loaded at start only where it is configured. */
export const TELEMETRY_SDKS = [
  '@azure/monitor-opentelemetry-exporter',
  '@azure/functions-opentelemetry-instrumentation',
  '@opentelemetry/sdk-trace-node',
  '@opentelemetry/sdk-trace-base',
  '@opentelemetry/sdk-logs',
  '@opentelemetry/exporter-trace-otlp-http',
  '@opentelemetry/exporter-logs-otlp-http',
  '@opentelemetry/resources',
] as const;

/**
 * What several of those share: each bundled once, loaded with the first that needs it (bundled into
 * each, the OpenTelemetry API and its conventions were loaded five times over where telemetry is
 * configured). The API is the one package the entry loads from beside it at start: the app and the
 * telemetry SDKs use the same copy, a no-op until telemetry starts.
 */
const SHARED_PACKAGES = [
  '@azure/abort-controller',
  '@azure/core-auth',
  '@azure/core-client',
  '@azure/core-http-compat',
  '@azure/core-lro',
  '@azure/core-paging',
  '@azure/core-rest-pipeline',
  '@azure/core-tracing',
  '@azure/core-util',
  '@azure/core-xml',
  '@azure/logger',
  '@typespec/ts-http-runtime',
  '@opentelemetry/api',
  '@opentelemetry/api-logs',
  '@opentelemetry/semantic-conventions',
  '@opentelemetry/instrumentation',
  '@opentelemetry/core',
  '@opentelemetry/otlp-exporter-base',
  '@opentelemetry/otlp-transformer',
] as const;

/**
 * What durable-functions requires as it loads but uses only when a function calls it (axios for
 * the durable client's HTTP calls, validator for its URLs, moment for timers, lodash's cloneDeep
 * for its client's data); the hub's own HTTP clients load axios when first made.
 */
const DEFERRED_PACKAGES = ['axios', 'validator', 'moment', 'lodash/cloneDeep'] as const;

/** Every package bundled on its own beside the entry, under dist/node_modules. */
export const ON_FIRST_USE_PACKAGES: readonly string[] = [...FUNCTION_SDKS, ...TELEMETRY_SDKS, ...SHARED_PACKAGES, ...DEFERRED_PACKAGES];

/**
 * One copy of axios: durable-functions requires its CommonJS build, the hub's own imports would
 * bring its ES module build beside it (half a megabyte more to compile at start).
 */
const ONE_AXIOS: Plugin = {
  name: 'one-axios',
  setup(build) {
    build.onResolve({ filter: /^axios$/ }, () => ({ path: path.join(ROOT, 'node_modules', 'axios', 'dist', 'node', 'axios.cjs') }));
  },
};

/**
 * One copy of each package loaded on first use: another of them that this one requires is
 * required from beside it, where it is the same version the app resolves (a package that needs
 * another version bundles its own).
 */
function besideIt(self: string): Plugin {
  const others = new Set<string>(ON_FIRST_USE_PACKAGES.filter((other) => other !== self));
  return {
    name: 'beside-it',
    setup(build) {
      build.onResolve({ filter: /^@?[a-z]/ }, (args) => {
        if (!others.has(args.path)) return undefined;
        try {
          const fromHere = require.resolve(args.path, { paths: [args.resolveDir] });
          const fromApp = require.resolve(args.path, { paths: [ROOT] });
          return fromHere === fromApp ? { path: args.path, external: true } : undefined;
        } catch {
          return undefined;
        }
      });
    },
  };
}

/**
 * zod without the translations of its error messages (forty-odd languages, a quarter of zod's
 * size in the entry): the hub says what is wrong in its own words, and never selects a locale.
 * English, zod's default, is imported on its own and stays.
 */
const ZOD_WITHOUT_TRANSLATIONS: Plugin = {
  name: 'zod-without-translations',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]v4[\\/](classic|core)$/.test(args.resolveDir)
        ? { path: 'zod-locales', namespace: 'zod-without-translations' }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'zod-without-translations' }, () => ({ contents: 'export {};', loader: 'js' }));
  },
};

/**
 * durable-functions' requires of the deferred packages get a stand-in (build/deferredModule.js)
 * that requires the package, from beside the entry, the first time anything of it is used. They
 * and what they bring (form-data, mime-db, ...) are a third of what the entry would run at start.
 */
const DEFER_UNTIL_USED: Plugin = {
  name: 'defer-until-used',
  setup(build) {
    const names = new Set<string>(DEFERRED_PACKAGES);
    build.onResolve({ filter: /^[a-z]/ }, (args) => {
      if (!names.has(args.path) || !/[\\/]node_modules[\\/]durable-functions[\\/]/.test(args.importer)) return undefined;
      if (require.resolve(args.path, { paths: [args.resolveDir] }) !== require.resolve(args.path, { paths: [ROOT] }))
        throw new Error(`durable-functions needs another ${args.path} than the app's: the deferred copy would be the wrong one`);
      return { path: args.path, namespace: 'defer-until-used' };
    });
    build.onLoad({ filter: /.*/, namespace: 'defer-until-used' }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(path.join(ROOT, 'build', 'deferredModule.js'))})(() => require(${JSON.stringify(args.path)}));`,
      resolveDir: ROOT,
      loader: 'js',
    }));
  },
};

const COMMON: BuildOptions = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // `await import(x)` as a `require(x)` (kept lazy): Node's own import() of a bundled CommonJS
  // package would see only its default export.
  supported: { 'dynamic-import': false },
  // Some SDKs ship ES modules that read import.meta.url, which a CommonJS bundle lacks.
  banner: { js: "const __bundleImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  define: { 'import.meta.url': '__bundleImportMetaUrl' },
  metafile: true,
  logLevel: 'warning',
};

export interface BundleOptions {
  /**
   * The alternative, for the cold-start benchmark: one file with everything in it, every SDK the
   * functions use loaded at start (telemetry, as in the deployed entry, only where configured).
   * Not deployed.
   */
  eager?: boolean;
}

export interface Bundle {
  outfile: string;
  /** The entry file's size. */
  bytes: number;
  /** The entry and every package bundled beside it. */
  totalBytes: number;
}

function outputBytes(result: { metafile?: { outputs: Record<string, { bytes: number; entryPoint?: string }> } }): number {
  return Object.entries(result.metafile?.outputs ?? {})
    .filter(([file]) => !file.endsWith('.map'))
    .reduce((sum, [, output]) => sum + output.bytes, 0);
}

export async function bundleApp(outfile = path.join(ROOT, 'dist', 'main.js'), options: BundleOptions = {}): Promise<Bundle> {
  const outDir = path.dirname(outfile);
  const vendorDir = path.join(outDir, 'node_modules');
  rmSync(vendorDir, { recursive: true, force: true });
  if (options.eager === true) {
    const result = await build({
      ...COMMON,
      stdin: {
        // As the hub loaded before: its HTTP clients made at start (axios), durable-functions' packages with it.
        contents: [...FUNCTION_SDKS, 'axios']
          .map((name) => `require(${JSON.stringify(name)});`)
          .concat("require('./src/main');")
          .join('\n'),
        resolveDir: ROOT,
        sourcefile: 'eager-main.js',
        loader: 'js',
      },
      outfile,
      external: ['@azure/functions-core'],
      plugins: [ONE_AXIOS, ZOD_WITHOUT_TRANSLATIONS],
    });
    const bytes = outputBytes(result);
    return { outfile, bytes, totalBytes: bytes };
  }
  const entry = await build({
    ...COMMON,
    entryPoints: [path.join(ROOT, 'src', 'main.ts')],
    plugins: [DEFER_UNTIL_USED, ZOD_WITHOUT_TRANSLATIONS],
    outfile,
    sourcemap: true,
    external: ['@azure/functions-core', ...ON_FIRST_USE_PACKAGES],
  });
  let vendorBytes = 0;
  for (const name of ON_FIRST_USE_PACKAGES) {
    const dir = path.join(vendorDir, ...name.split('/'));
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify({ name, main: 'index.js', private: true }, null, 2)}\n`);
    const vendor = await build({
      ...COMMON,
      plugins: [besideIt(name), ONE_AXIOS, ZOD_WITHOUT_TRANSLATIONS],
      stdin: { contents: `module.exports = require(${JSON.stringify(name)});`, resolveDir: ROOT, sourcefile: `${name}.js`, loader: 'js' },
      outfile: path.join(dir, 'index.js'),
    });
    vendorBytes += outputBytes(vendor);
  }
  const bytes = outputBytes(entry);
  return { outfile, bytes, totalBytes: bytes + vendorBytes };
}

if (require.main === module) {
  Promise.all([bundleApp(), buildOpsUi()]).then(
    ([{ outfile, bytes, totalBytes }, ui]) =>
      console.log(
        `${path.relative(process.cwd(), outfile)}: ${(bytes / 1024 / 1024).toFixed(1)} MB, with the packages loaded on first use ${(totalBytes / 1024 / 1024).toFixed(1)} MB; the dashboard in dist/ui: ${(ui.bytes / 1024).toFixed(0)} KB`,
      ),
    (error: unknown) => {
      console.error(`build failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
