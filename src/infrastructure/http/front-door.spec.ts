import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type ErrorRequestHandler, type Request } from 'express';
import { FrontDoor, type FrontStep } from './front-door';

describe('FrontDoor', () => {
  let server: Server;
  let url: string;
  /** The steps each request took, in order, and where (at the door or in Express). */
  const taken = new WeakMap<Request, string[]>();
  const record = (name: string): FrontStep => {
    return (req, _res, next) => {
      if (req.headers['x-throw'] === name) throw new Error(`${name} failed`);
      const steps = taken.get(req) ?? [];
      // Express's router sets baseUrl; at the door it is not set yet.
      steps.push(`${name}${(req.baseUrl as string | undefined) === undefined ? '@door' : ''}`);
      taken.set(req, steps);
      next();
    };
  };
  const first = record('first');
  const second = record('second');

  beforeAll(async () => {
    const app = express();
    server = createServer(app);
    const sut = new FrontDoor(app, (req) => req.url === '/door', [first, second]);
    sut.install(server);
    app.use(sut.inExpress(first));
    app.use(sut.inExpress(second));
    app.use((req, res) => {
      res.json({ steps: taken.get(req), ip: req.ip !== undefined });
    });
    const failed: ErrorRequestHandler = (error: Error, _req, res, _next) => {
      res.status(500).json({ error: error.message });
    };
    app.use(failed);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const get = async (path: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`${url}${path}`, { headers });
    return { status: response.status, body: await response.json() };
  };

  it('runs the steps of the requests it takes before Express, and Express skips them', async () => {
    expect(await get('/door')).toEqual({
      status: 200,
      body: { steps: ['first@door', 'second@door'], ip: true },
    });
  });

  it('leaves every other request to Express, which runs the steps itself', async () => {
    expect(await get('/elsewhere')).toEqual({
      status: 200,
      body: { steps: ['first', 'second'], ip: true },
    });
  });

  it('hands a step’s error to Express at that step’s place, as if it had been thrown there', async () => {
    expect(await get('/door', { 'x-throw': 'second' })).toEqual({
      status: 500,
      body: { error: 'second failed' },
    });
    expect(await get('/elsewhere', { 'x-throw': 'second' })).toEqual({
      status: 500,
      body: { error: 'second failed' },
    });
  });

  it('refuses to stand in front of a server whose listener is not the app', () => {
    const door = new FrontDoor(express(), () => true, [first]);
    expect(() => door.install(createServer())).toThrow(/not the server's request listener/);
  });
});
