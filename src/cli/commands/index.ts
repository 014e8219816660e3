/** Every `polytail` command, in help order. */
import type { CommandModule } from 'yargs';
import { replayCommand } from './replay.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const commands: CommandModule<any, any>[] = [replayCommand];
