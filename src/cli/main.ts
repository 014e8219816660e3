/** The `polytail` command line. Each command lives in src/cli/commands/ and is loaded on demand. */
import { existsSync } from 'node:fs';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { commandsFor } from './commands/index.ts';
import { exitFor } from './exit-code.ts';

// Settings from `.env` in the working directory (see .env.example); the shell's own variables win.
if (existsSync('.env')) {
  try {
    process.loadEnvFile('.env');
  } catch (error) {
    console.error(`polytail: cannot read .env: ${(error as Error).message.split('\n')[0]} — fix or remove the file`);
    process.exit(2);
  }
}

const args = hideBin(process.argv);
const commands = await commandsFor(args);
const cli = yargs(args)
  .scriptName('polytail')
  .usage('$0 <command> [options]\n\nTail (copy) or fade Polymarket traders: live, paper and replay through one engine.')
  .command(commands)
  .demandCommand(1, 'Pick a command. Try `polytail replay` to replay the bundled Nobel Peace Prize 2025 recording.')
  .strict()
  .recommendCommands()
  .help()
  .alias('h', 'help')
  .version()
  .wrap(Math.min(110, process.stdout.columns || 100))
  .fail((message, error, y) => {
    if (error) throw error;
    void y;
    console.error(`polytail: ${message}\nRun \`polytail --help\` for usage.`);
    process.exit(2);
  });

try {
  await cli.parseAsync();
} catch (error) {
  const { code, message } = exitFor(error);
  console.error(`polytail: ${message}`);
  process.exit(code);
}
