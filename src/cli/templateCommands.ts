import path from 'node:path';
import type { Command } from 'commander';
import { confirmationIdOf, confirmationRequestSchema } from '../domain/confirmation';
import { HubError } from '../domain/HubError';
import { describeIssues } from '../domain/validate';
import { confirmationModel } from '../templates/confirmationModel';
import { loadTemplates, TEMPLATE_PARTS, type CompiledTemplates, type TemplatePart } from '../templates/loadTemplates';
import { TemplateLoadError } from '../templates/TemplateLoadError';
import { runTemplateTestFile, templateTestFiles } from '../templates/templateTests';
import { readJsonFile } from './readJsonFile';

/** Loads the folder as the host does; prints every problem and returns undefined when there are any. */
function loadOrReport(dir: string): CompiledTemplates | undefined {
  const shown = path.relative(process.cwd(), path.resolve(dir)) || '.';
  try {
    return loadTemplates(path.resolve(dir), shown);
  } catch (error) {
    if (!(error instanceof TemplateLoadError)) throw error;
    for (const line of error.message.split('\n').slice(1)) console.error(line.trim());
    console.error(`${error.problems.length} problem${error.problems.length === 1 ? '' : 's'} in ${shown}`);
    process.exitCode = 1;
    return undefined;
  }
}

/** `npx hub templates check | test [template] | render <template> <input.json>`: the confirmation mails, without writing code. */
export function registerTemplateCommands(program: Command): void {
  const templates = program
    .command('templates')
    .description('check, test and render the confirmation mail templates')
    .option('--dir <folder>', 'the template files', process.env.TEMPLATES_DIR ?? 'templates');
  const dirOf = (): string => templates.opts<{ dir: string }>().dir;

  templates
    .command('check')
    .description('load every template as the host does at start; print each problem with file:line:column')
    .action(() => {
      const loaded = loadOrReport(dirOf());
      if (loaded !== undefined) console.log(`${loaded.names.length} templates OK: ${loaded.names.join(', ')}`);
    });

  templates
    .command('test')
    .description('run the test cases beside the templates (<template>.tests.yaml)')
    .argument('[template]', 'one template; all when left out')
    .action((which: string | undefined) => {
      const dir = dirOf();
      const loaded = loadOrReport(dir);
      if (loaded === undefined) return;
      const files = templateTestFiles(path.resolve(dir)).filter(
        (f) => which === undefined || path.basename(f).startsWith(`${which}.tests.`),
      );
      if (which !== undefined && files.length === 0)
        throw new Error(`no tests for '${which}' in ${dir} (tests files are <template>.tests.yaml)`);
      let passed = 0;
      let failed = 0;
      for (const file of files) {
        const shown = path.relative(process.cwd(), file);
        console.log(shown);
        for (const r of runTemplateTestFile(file, shown, loaded)) {
          console.log(`  ${r.passed ? '✓' : '✗'} ${r.name}${r.passed ? '' : `  (line ${r.line})`}`);
          if (r.failure !== undefined) console.log(r.failure.replace(/^/gm, '      '));
          if (r.passed) passed++;
          else failed++;
        }
      }
      console.log(`${passed} passed, ${failed} failed`);
      if (failed > 0) process.exitCode = 1;
    });

  templates
    .command('render')
    .description('render a template for one confirmation request (a JSON file) and print the mail')
    .argument('<template>', 'e.g. order-confirmation')
    .argument('<input>', 'a JSON file holding a confirmation request')
    .option('--part <part>', `print one part only: ${TEMPLATE_PARTS.join(', ')}`)
    .option('--shop-name <name>', 'the shop the mail comes from', process.env.MAIL_FROM_NAME ?? 'Order Hub')
    .option('--shop-email <address>', "the shop's address", process.env.MAIL_FROM_ADDRESS ?? 'orders@shop.example')
    .action((name: string, input: string, options: { part?: string; shopName: string; shopEmail: string }) => {
      if (options.part !== undefined && !TEMPLATE_PARTS.includes(options.part as TemplatePart))
        throw new Error(`--part is one of ${TEMPLATE_PARTS.join(', ')}`);
      const loaded = loadOrReport(dirOf());
      if (loaded === undefined) return;
      if (!loaded.names.includes(name)) throw new Error(`no template '${name}' (there are ${loaded.names.join(', ')})`);
      const parsed = confirmationRequestSchema.safeParse(readJsonFile(input));
      if (!parsed.success) {
        console.error(`${input} is not a valid confirmation request:`);
        for (const issue of describeIssues(parsed.error)) console.error(`  ${issue}`);
        process.exitCode = 1;
        return;
      }
      try {
        const request = parsed.data;
        const model = confirmationModel(confirmationIdOf(request.kind, request.subjectId), request, {
          name: options.shopName,
          email: options.shopEmail,
        });
        const mail = loaded.render(name, model);
        if (options.part !== undefined) {
          console.log(mail[options.part as TemplatePart]);
          return;
        }
        console.log(`Subject: ${mail.subject}\n\n--- text ---\n${mail.text}\n--- html ---\n${mail.html}`);
      } catch (error) {
        if (!HubError.isHubError(error)) throw error;
        console.error(`${error.code}: ${error.message}`);
        process.exitCode = 1;
      }
    });
}
