import { readFileSync } from 'node:fs';
import { Language, Parser, type Node } from 'web-tree-sitter';

/** A syntax error a parse found: where, and the text it could not read. */
export interface BicepSyntaxError {
  line: number;
  column: number;
  text: string;
}

export interface ParsedBicep {
  file: string;
  root: Node;
  errors: BicepSyntaxError[];
}

let parser: Promise<Parser> | undefined;

/** tree-sitter-bicep's WASM grammar, through web-tree-sitter (no native build, no Bicep CLI). */
function bicepParser(): Promise<Parser> {
  parser ??= (async () => {
    await Parser.init();
    // The bytes, not a path: loading a path makes the library import node:fs/promises dynamically, which Jest refuses.
    const language = await Language.load(readFileSync(require.resolve('tree-sitter-bicep/tree-sitter-bicep.wasm')));
    const created = new Parser();
    created.setLanguage(language);
    return created;
  })();
  return parser;
}

function syntaxErrors(root: Node): BicepSyntaxError[] {
  const errors: BicepSyntaxError[] = [];
  const walk = (node: Node): void => {
    if (node.type === 'ERROR' || node.isMissing)
      errors.push({ line: node.startPosition.row + 1, column: node.startPosition.column + 1, text: node.text.slice(0, 80) || node.type });
    else for (const child of node.children) if (child !== null) walk(child);
  };
  walk(root);
  return errors;
}

/**
 * A .bicep file, parsed. A .bicepparam file's `param name = value` lines are read as `var` lines
 * of the same length (the grammar knows Bicep files, whose value syntax is the same), so that its
 * values are checked too, and its `using` line.
 */
export async function parseBicep(file: string): Promise<ParsedBicep> {
  let source = readFileSync(file, 'utf8');
  if (file.endsWith('.bicepparam')) source = source.replace(/^param (\w+)/gm, 'var   $1');
  const tree = (await bicepParser()).parse(source);
  if (tree === null) throw new Error(`${file}: could not be parsed`);
  return { file, root: tree.rootNode, errors: syntaxErrors(tree.rootNode) };
}

const named = (node: Node): Node[] => node.namedChildren.filter((child): child is Node => child !== null);

/** The top-level declarations of one kind (`variable_declaration`, `parameter_declaration`, `resource_declaration`, …). */
export function declarations(parsed: ParsedBicep, type: string): Node[] {
  return named(parsed.root).filter((node) => node.type === type);
}

/** A declaration's name. */
export function nameOf(declaration: Node): string {
  return named(declaration).find((node) => node.type === 'identifier')?.text ?? '';
}

/** A `var`'s value. */
export function variable(parsed: ParsedBicep, name: string): Node {
  const declaration = declarations(parsed, 'variable_declaration').find((node) => nameOf(node) === name);
  const value = declaration === undefined ? undefined : named(declaration).at(-1);
  if (value === undefined) throw new Error(`${parsed.file}: no var ${name}`);
  return value;
}

/** An object literal's properties by key (identifier or quoted). */
export function properties(object: Node): Map<string, Node> {
  const entries = new Map<string, Node>();
  for (const property of named(object).filter((node) => node.type === 'object_property')) {
    const [key, value] = named(property);
    if (key === undefined || value === undefined) continue;
    entries.set(key.type === 'string' ? stringContent(key) : key.text, value);
  }
  return entries;
}

/** An array literal's items. */
export function items(array: Node): Node[] {
  return named(array);
}

function stringContent(node: Node): string {
  return named(node)
    .filter((part) => part.type === 'string_content')
    .map((part) => part.text)
    .join('');
}

/** A literal's value (string without interpolation, number, boolean); undefined for an expression. */
export function literal(node: Node): string | number | boolean | undefined {
  if (node.type === 'string') return named(node).every((part) => part.type === 'string_content') ? stringContent(node) : undefined;
  if (node.type === 'number') return Number(node.text);
  if (node.type === 'boolean') return node.text === 'true';
  return undefined;
}

/** An object literal of literals, as a plain object (expressions left out). */
export function literalObject(object: Node): Record<string, string | number | boolean> {
  const result: Record<string, string | number | boolean> = {};
  for (const [key, value] of properties(object)) {
    const v = literal(value);
    if (v !== undefined) result[key] = v;
  }
  return result;
}
