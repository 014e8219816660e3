/** Every `polytail` command, in help order. */
import type { CommandModule } from 'yargs';
import { importCommand } from './import.ts';
import { replayCommand } from './replay.ts';
import { sandboxCommand } from './sandbox.ts';
import { sweepCommand } from './sweep.ts';
import { reportCommand } from './report.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const commands: CommandModule<any, any>[] = [replayCommand, reportCommand, sweepCommand, importCommand, sandboxCommand];
