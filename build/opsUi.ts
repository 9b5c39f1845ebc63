/**
 * The operators' dashboard (ui/), built with esbuild into dist/ui/: app.js (Preact, uPlot and the
 * pages, minified) and app.css. The function app serves them at /api/ops/ui (opsUi). `npm run
 * build` builds it with the app; `npm start` and the dashboard's tests build it first.
 */
import path from 'node:path';
import { build } from 'esbuild';

const ROOT = path.resolve(__dirname, '..');
export const OPS_UI_DIR = path.join(ROOT, 'dist', 'ui');

export async function buildOpsUi(outDir = OPS_UI_DIR): Promise<{ bytes: number }> {
  const result = await build({
    entryPoints: [path.join(ROOT, 'ui', 'main.tsx')],
    outfile: path.join(outDir, 'app.js'),
    bundle: true,
    minify: true,
    format: 'iife',
    platform: 'browser',
    target: ['es2022'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    tsconfig: path.join(ROOT, 'ui', 'tsconfig.json'),
    legalComments: 'linked',
    metafile: true,
    logLevel: 'warning',
  });
  const bytes = Object.values(result.metafile.outputs).reduce((sum, output) => sum + output.bytes, 0);
  return { bytes };
}

if (require.main === module) {
  buildOpsUi().then(
    ({ bytes }) => console.log(`dashboard built in dist/ui (${(bytes / 1024).toFixed(0)} KB)`),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
