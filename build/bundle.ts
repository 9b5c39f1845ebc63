/**
 * `npm run build`: the app as one file, dist/main.js (package.json "main"), the way it is deployed:
 * every dependency bundled, except the module the Functions worker itself provides.
 */
import path from 'node:path';
import { build } from 'esbuild';

const ROOT = path.resolve(__dirname, '..');

export async function bundleApp(outfile = path.join(ROOT, 'dist', 'main.js')): Promise<{ outfile: string; bytes: number }> {
  const result = await build({
    entryPoints: [path.join(ROOT, 'src', 'main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: true,
    external: ['@azure/functions-core'],
    // Some SDKs ship ES modules that read import.meta.url, which a CommonJS bundle lacks.
    banner: { js: "const __bundleImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
    define: { 'import.meta.url': '__bundleImportMetaUrl' },
    metafile: true,
    logLevel: 'warning',
  });
  const bytes = Object.values(result.metafile.outputs).find((output) => output.entryPoint !== undefined)?.bytes ?? 0;
  return { outfile, bytes };
}

if (require.main === module) {
  bundleApp().then(
    ({ outfile, bytes }) => console.log(`${path.relative(process.cwd(), outfile)}: ${(bytes / 1024 / 1024).toFixed(1)} MB`),
    (error: unknown) => {
      console.error(`build failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
