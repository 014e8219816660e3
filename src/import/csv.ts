/**
 * A small RFC 4180 CSV reader: quoted fields, doubled quotes, commas and newlines inside quotes.
 * Each record keeps its starting line number and its exact text (the pagination-repeat check compares
 * rows byte for byte).
 */
export interface CsvRecord {
  /** 1-based line number where the record starts (the header is line 1). */
  line: number;
  text: string;
  values: Record<string, string>;
}

export interface CsvTable {
  header: string[];
  records: CsvRecord[];
}

export class CsvSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

const UNQUOTED = /[^,\r\n]*/y;

export function parseCsv(input: string): CsvTable {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const rows: { line: number; start: number; end: number; fields: string[] }[] = [];
  let i = 0;
  let line = 1;
  while (i < text.length) {
    const startLine = line;
    const start = i;
    const fields: string[] = [];
    for (;;) {
      let field = '';
      if (text[i] === '"') {
        i++;
        for (;;) {
          if (i >= text.length) throw new CsvSyntaxError(`unterminated quoted field starting on line ${startLine}`, startLine);
          const ch = text[i]!;
          if (ch === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          // Everything up to the next quote is field text (newlines included).
          const stop = text.indexOf('"', i);
          const chunk = text.slice(i, stop === -1 ? text.length : stop);
          line += chunk.split('\n').length - 1;
          field += chunk;
          i += chunk.length;
        }
        if (i < text.length && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') {
          throw new CsvSyntaxError(`unexpected character after a quoted field on line ${line}`, line);
        }
      } else {
        UNQUOTED.lastIndex = i;
        UNQUOTED.exec(text);
        field = text.slice(i, UNQUOTED.lastIndex);
        i = UNQUOTED.lastIndex;
      }
      fields.push(field);
      if (text[i] === ',') {
        i++;
        continue;
      }
      break;
    }
    const end = i;
    if (text[i] === '\r') i++;
    if (text[i] === '\n') {
      i++;
      line++;
    }
    if (!(fields.length === 1 && fields[0] === '')) rows.push({ line: startLine, start, end, fields });
  }
  if (rows.length === 0) return { header: [], records: [] };
  const header = rows[0]!.fields.map((h) => h.trim());
  const records = rows.slice(1).map((r) => {
    if (r.fields.length !== header.length) {
      throw new CsvSyntaxError(`line ${r.line} has ${r.fields.length} fields, the header has ${header.length}`, r.line);
    }
    const values: Record<string, string> = {};
    header.forEach((h, k) => (values[h] = r.fields[k]!));
    return { line: r.line, text: text.slice(r.start, r.end), values };
  });
  return { header, records };
}
