import { isMap, isScalar, LineCounter, parseDocument, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import { closestName } from './expression/compileExpression';
import type { MappingProblem } from './MappingLoadError';

/** A YAML file being read: its nodes, and the problems found in it, each with line and column. */
export class YamlSource {
  readonly document: Document;
  readonly problems: MappingProblem[] = [];
  private readonly lines = new LineCounter();

  constructor(
    readonly file: string,
    text: string,
  ) {
    this.document = parseDocument(text, { lineCounter: this.lines, prettyErrors: false, uniqueKeys: true });
    for (const error of this.document.errors) {
      // Where the document breaks: the error's offset, as a line and column of this file.
      const { line, col } = this.lines.linePos(error.pos[0]);
      this.problems.push({ file, line, column: col, message: `not valid YAML: ${error.message.split('\n')[0] ?? error.message}` });
    }
  }

  /** Records a problem at a node (or the file's start); `offset` moves it into a scalar's text. */
  problem(
    node: Node | Pair | undefined | null,
    message: string,
    options: { field?: string; suggestion?: string; offset?: number } = {},
  ): void {
    const target = node && 'range' in node ? node : node && 'key' in node ? (node.key as Node | null) : undefined;
    let at = target?.range?.[0] ?? 0;
    if (
      options.offset !== undefined &&
      target &&
      isScalar(target) &&
      typeof target.source === 'string' &&
      !target.source.slice(0, options.offset).includes('\n')
    ) {
      const quoted = target.type === 'QUOTE_DOUBLE' || target.type === 'QUOTE_SINGLE';
      if (target.type !== 'BLOCK_LITERAL' && target.type !== 'BLOCK_FOLDED') at += options.offset + (quoted ? 1 : 0);
    }
    const { line, col } = this.lines.linePos(at);
    this.problems.push({
      file: this.file,
      line,
      column: col,
      message,
      ...(options.field === undefined ? {} : { field: options.field }),
      ...(options.suggestion === undefined ? {} : { suggestion: options.suggestion }),
    });
  }

  /** The 1-based line a node starts on. */
  lineOf(node: Node): number {
    return this.lines.linePos(node.range?.[0] ?? 0).line;
  }

  /** The pairs of a mapping node, keyed by their (text) key; other keys are reported. */
  entries(node: YAMLMap, what: string, allowed?: readonly string[], field?: string): Map<string, Pair<Node, Node | null>> {
    const entries = new Map<string, Pair<Node, Node | null>>();
    for (const pair of node.items as Pair<Node, Node | null>[]) {
      const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
      if (key === undefined) {
        this.problem(pair.key, `${what}: keys must be plain names`, field === undefined ? {} : { field });
        continue;
      }
      if (allowed !== undefined && !allowed.includes(key)) {
        const suggestion = closestName(key, allowed);
        this.problem(pair.key, `${what}: unknown key '${key}' (allowed: ${allowed.join(', ')})`, {
          ...(field === undefined ? {} : { field }),
          ...(suggestion === undefined ? {} : { suggestion }),
        });
        continue;
      }
      entries.set(key, pair);
    }
    return entries;
  }
}

export function asMap(node: Node | null | undefined): YAMLMap | undefined {
  return isMap(node) ? node : undefined;
}

/** A scalar's value, when the node is a scalar. */
export function scalarValue(node: Node | null | undefined): { value: unknown } | undefined {
  return isScalar(node) ? { value: node.value } : undefined;
}
