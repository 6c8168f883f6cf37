import 'reflect-metadata';
import { ConfigError } from './infrastructure/config/app-config';
import { DemoRefusedError, seedDemo } from './demo/demo-run';
import { demoAccountsText } from './start-banner';

/** `npm run seed`: fills the configured stores with the demo world (README, Quick start). */
async function main(): Promise<void> {
  const started = Date.now();
  const counts = await seedDemo();
  const created = Object.entries(counts)
    .map(([what, count]) => `${count} ${what}`)
    .join(', ');
  process.stdout.write(
    `Demo world ready in ${((Date.now() - started) / 1000).toFixed(1)} s (created: ${created}).\n`,
  );
  // Started by `npm start -- --demo`, whose banner lists the accounts once the server listens.
  if (!process.argv.includes('--before-start'))
    process.stdout.write(
      `Start the server with \`npm start\` and sign in with:\n${demoAccountsText()}`,
    );
}

main().catch((error: unknown) => {
  if (error instanceof DemoRefusedError || error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(error instanceof ConfigError ? 78 : 1);
  }
  process.stderr.write(
    `Seeding failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
