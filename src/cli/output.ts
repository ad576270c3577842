/** Printing results: one JSON document under --json (nothing else on stdout), text otherwise. */
export function printJson(doc: unknown): void {
  process.stdout.write(JSON.stringify(doc, (_, v) => (typeof v === 'bigint' ? v.toString() : v), 2) + '\n');
}

export function printLines(lines: readonly string[]): void {
  process.stdout.write(lines.join('\n') + '\n');
}
