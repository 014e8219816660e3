/** Rebuilds contracts/artifacts.json from contracts/src/*.sol (run after editing a contract; commit both). */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compileContracts } from '../test/helpers/compile-contracts.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const started = Date.now();
const artifacts = compileContracts(`${root}contracts/src`);
writeFileSync(`${root}contracts/artifacts.json`, JSON.stringify(artifacts, null, 1) + '\n');
const names = Object.keys(artifacts.contracts).join(', ');
process.stdout.write(`compiled ${names} with solc ${artifacts.compiler} in ${Date.now() - started} ms\n`);
