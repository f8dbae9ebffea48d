/**
 * Which packages the bytes of a bundle come from, read from its source map: every mapped segment of
 * the generated code is charged to its source file, and source files to their npm package (the last
 * `node_modules/<name>` or `node_modules/@scope/name` in the path) or to "(project)".
 * Columns are UTF-16 units; esbuild writes ASCII by default, so units are bytes.
 */
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DIGIT = new Map([...BASE64].map((char, index) => [char, index]));

function decodeSegment(segment: string): number[] {
  const values: number[] = [];
  let value = 0;
  let shift = 0;
  for (const char of segment) {
    const digit = DIGIT.get(char);
    if (digit === undefined) throw new Error(`Not a base64 VLQ digit: ${char}`);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
    } else {
      values.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return values;
}

export function packageOf(source: string): string {
  const parts = source.split('/');
  const at = parts.lastIndexOf('node_modules');
  if (at === -1) return '(project)';
  const name = parts[at + 1] ?? '?';
  return name.startsWith('@') ? `${name}/${parts[at + 2] ?? '?'}` : name;
}

/** Bytes of generated code per package, plus "(unmapped)" for the banner and glue esbuild adds. */
export function bytesByPackage(
  code: string,
  map: { sources: string[]; mappings: string },
): Map<string, number> {
  const totals = new Map<string, number>();
  const charge = (name: string, bytes: number) => {
    if (bytes > 0) totals.set(name, (totals.get(name) ?? 0) + bytes);
  };
  const lines = code.split('\n');
  const mappingLines = map.mappings.split(';');
  let sourceIndex = 0;
  lines.forEach((line, lineIndex) => {
    const newline = lineIndex < lines.length - 1 ? 1 : 0;
    const segments = (mappingLines[lineIndex] ?? '').split(',').filter(Boolean);
    let column = 0;
    let previous: { column: number; source: string } | undefined;
    let unmappedStart = 0;
    for (const segment of segments) {
      const fields = decodeSegment(segment);
      column += fields[0] ?? 0;
      if (previous) charge(previous.source, column - previous.column);
      else unmappedStart = column;
      if (fields.length >= 4) {
        sourceIndex += fields[1] ?? 0;
        previous = { column, source: packageOf(map.sources[sourceIndex] ?? '?') };
      } else {
        previous = { column, source: '(unmapped)' };
      }
    }
    if (previous) charge(previous.source, line.length - previous.column + newline);
    else charge('(unmapped)', line.length + newline);
    charge('(unmapped)', unmappedStart);
  });
  return totals;
}
