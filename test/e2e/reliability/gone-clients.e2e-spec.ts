import type { Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import { ProbeModule, probeCalls } from '../../utils/probe.module';
import { createTestApp, type TestApp } from '../../utils/test-app';
import { waitFor } from '../../utils/wait';

const mockLogLines: string[] = [];
jest.mock('pino', () =>
  jest
    .requireActual<typeof import('../../utils/pino-capture')>('../../utils/pino-capture')
    .capturingPino((line) => mockLogLines.push(line)),
);

/**
 * Requests whose client hangs up before they are served. Under load a request can wait past
 * its client's timeout; once the connection is reset Node no longer knows the client's address,
 * and the rate limiter, which counts by address, failed such requests with an internal error
 * (a stack in the logs for each). They are served like any other now (the answer goes nowhere).
 */
describe('Requests whose client has hung up', () => {
  let sut: TestApp;
  let received = 0;
  let finished = 0;

  beforeAll(async () => {
    sut = await createTestApp({ LOG_LEVEL: 'info', RATE_LIMIT_MAX: '10000' }, [ProbeModule]);
    (sut.app.getHttpServer() as Server).on('request', (_req, res) => {
      received++;
      res.once('close', () => finished++);
    });
  });
  afterAll(async () => sut.close());

  it('are served without an internal error when the connection is reset before they are counted', async () => {
    const { port } = new URL(sut.url);
    const sockets = await Promise.all(
      Array.from(
        { length: 60 },
        () =>
          new Promise<Socket>((resolve, reject) => {
            const socket = connect(Number(port), '127.0.0.1', () => resolve(socket));
            socket.once('error', reject);
          }),
      ),
    );
    const calls = probeCalls.count;
    for (const [i, socket] of sockets.entries()) {
      socket.removeAllListeners('error');
      socket.on('error', () => undefined);
      const body = JSON.stringify({ query: `{ gone${i}: probe }` });
      socket.write(
        `POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
    }
    // Reset (RST) once the server has read the requests, before their guards have run.
    await new Promise((resolve) => setImmediate(resolve));
    for (const socket of sockets) socket.resetAndDestroy();

    await waitFor('every request the server read to be over', () => {
      return received > 0 && finished === received;
    });
    const errors = mockLogLines.filter(
      (line) => (JSON.parse(line) as { level: number }).level >= 50,
    );
    expect(errors).toEqual([]);
    // Each request the server read reached its resolver.
    expect(probeCalls.count - calls).toBe(received);
    // And the server goes on answering.
    expect((await sut.gql<{ probe: string }>('{ probe }')).data?.probe).toBe('ok');
  });
});
