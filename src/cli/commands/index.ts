/** Every `polytail` command, in help order. */
import type { CommandModule } from 'yargs';
import { importCommand } from './import.ts';
import { replayCommand } from './replay.ts';
import { sandboxCommand } from './sandbox.ts';
import { sweepCommand } from './sweep.ts';
import { reportCommand } from './report.ts';
import { runCommand } from './run.ts';
import { strategiesCommand } from './strategies.ts';
import { doctorCommand } from './doctor.ts';
import { paperCommand } from './paper.ts';
import { liveCommand } from './live.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const commands: CommandModule<any, any>[] = [replayCommand, paperCommand, liveCommand, reportCommand, sweepCommand, importCommand, strategiesCommand, runCommand, sandboxCommand, doctorCommand];
