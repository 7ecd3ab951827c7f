import { fail, setCliCluster, takeClusterFlags } from './common';
import { hedge, usage as hedgeUsage } from './commands/hedge';
import { qlbs, usage as qlbsUsage } from './commands/qlbs';
import { semistatic, usage as semistaticUsage } from './commands/semistatic';
import { orderbook, usage as orderbookUsage } from './commands/orderbook';
import { bsde, usage as bsdeUsage } from './commands/bsde';
import { experiment, usage as experimentUsage } from './commands/experiment';
import { heston, usage as hestonUsage } from './commands/heston';

/**
 * Headless CLI on the same engine, job workers and store as the app: `npm run -s cli -- <command> …`.
 * A domain adds its command here (one line) with a usage text.
 */
const COMMANDS: Record<string, { run: (argv: string[]) => Promise<void>; usage: string }> = {
  hedge: { run: hedge, usage: hedgeUsage },
  qlbs: { run: qlbs, usage: qlbsUsage },
  semistatic: { run: semistatic, usage: semistaticUsage },
  orderbook: { run: orderbook, usage: orderbookUsage },
  bsde: { run: bsde, usage: bsdeUsage },
  experiment: { run: experiment, usage: experimentUsage },
  heston: { run: heston, usage: hestonUsage },
};

const USAGE = `usage: npm run -s cli -- <command> [options] [--force] [--cluster URL [--insecure]]
  --force                 start a job even when its estimated work or disk is over the limits
  --cluster URL           run the jobs on the cluster's workers (redis://[user:password@]host:port, rediss:// for
                          TLS; see README "Running on a cluster"); progress prints here and the results land in the
                          local store as usual. Jobs that need local files (order-book imports) run here anyway.
  --insecure              with --cluster: accept a Redis that asks no password\n\n${Object.values(COMMANDS)
  .map((c) => c.usage)
  .join('\n\n')}`;

async function main(): Promise<void> {
  // `--force` anywhere: start jobs even when their estimated work or disk is over the limits (HEDGE_FORCE=1).
  const all = process.argv.slice(2);
  if (all.includes('--force')) process.env.HEDGE_FORCE = '1';
  // `--cluster URL [--insecure]` anywhere: every job of this command goes to the cluster (common.ts).
  const { cluster, rest: argv } = takeClusterFlags(all.filter((a) => a !== '--force'));
  setCliCluster(cluster);
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === '--help' || cmd === 'help') return fail(USAGE, 0);
  const command = COMMANDS[cmd];
  if (!command) return fail(`unknown command "${cmd}"\n\n${USAGE}`);
  await command.run(rest);
}

main().catch((e) => fail(`error: ${e instanceof Error ? e.message : String(e)}`, 1));
