// Types for eslint.config.js, so the test that compares its import table with docs/architecture.md typechecks.
import type { Linter } from 'eslint';

/** Folder (linter element) → the folders it may import besides itself. */
export declare const importTable: Record<string, string[]>;
declare const config: Linter.Config[];
export default config;
