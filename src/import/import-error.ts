/** An import failure that says which file, line and field to fix. Nothing was written when it is thrown. */
export class ImportError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly field: string | undefined,
    detail: string,
  ) {
    super(`${file}${line !== undefined ? `:${line}` : ''}: ${detail}`);
    this.name = 'ImportError';
  }
}
