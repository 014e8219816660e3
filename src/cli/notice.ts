/** A line for the user that is not the command's output (waiting for a lock, leftovers cleaned): stderr. */
export function notice(message: string): void {
  process.stderr.write(`polytail: ${message}\n`);
}
