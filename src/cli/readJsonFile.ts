import { existsSync, readFileSync } from 'node:fs';

/** Reads a JSON input file, or says where it is broken. */
export function readJsonFile(file: string): unknown {
  if (!existsSync(file)) throw new Error(`no file ${file}`);
  const text = readFileSync(file, 'utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const position = /position (\d+)/.exec(error instanceof Error ? error.message : '');
    if (position?.[1] === undefined) throw new Error(`${file}: not valid JSON`);
    const before = text.slice(0, Number(position[1])).split('\n');
    throw new Error(`${file}:${before.length}:${(before.at(-1)?.length ?? 0) + 1}: not valid JSON`);
  }
}
