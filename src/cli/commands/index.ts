/** Every `polytail` command, in help order. */
import type { CommandModule } from 'yargs';
import { importCommand } from './import.ts';
import { replayCommand } from './replay.ts';
import { sandboxCommand } from './sandbox.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const commands: CommandModule<any, any>[] = [replayCommand, importCommand, sandboxCommand];
