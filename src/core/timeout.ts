import { VenueError } from './errors.ts';

/** Rejects with a VenueError{kind:'timeout'} when `p` takes longer than `ms` (the SDK has no timeouts). */
export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new VenueError(`timed out after ${ms} ms ${what}`, 'timeout', true)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
