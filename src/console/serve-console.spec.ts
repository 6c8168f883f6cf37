import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { consoleRouter } from './serve-console';

describe('consoleRouter', () => {
  let dir: string;
  const servers: Array<{ close(): void }> = [];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'console-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Console</title>');
    writeFileSync(
      join(dir, 'assets', 'index-abc.js'),
      'console.log(1);\n//# sourceMappingURL=index-abc.js.map',
    );
    writeFileSync(join(dir, 'assets', 'index-abc.js.map'), '{"version":3}');
  });
  afterAll(() => {
    for (const server of servers) server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const serve = async (sourceMaps: boolean): Promise<string> => {
    const app = express();
    app.use('/console', consoleRouter(dir, { sourceMaps }));
    const server = app.listen(0, '127.0.0.1');
    servers.push(server);
    await new Promise((resolve) => server.once('listening', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/console`;
  };

  it('serves source maps outside production, and none in production', async () => {
    const development = await serve(true);
    const production = await serve(false);
    expect((await fetch(`${development}/assets/index-abc.js.map`)).status).toBe(200);
    const refused = await fetch(`${production}/assets/index-abc.js.map`);
    expect(refused.status).toBe(404);
    expect(await refused.text()).toBe('Not found\n');
    // The rest of the console is served as before.
    expect((await fetch(`${production}/assets/index-abc.js`)).status).toBe(200);
    expect((await fetch(`${production}/`)).status).toBe(200);
  });
});
