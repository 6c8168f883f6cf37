import { onPostgres, TEST_METRICS_TOKEN } from '../../utils/test-env';
import { keepAliveAgent, postGraphql, serverEnv, startServer } from '../../utils/server-process';
import type { RawAnswer } from '../../utils/server-process';
import { waitFor } from '../../utils/wait';
import { forumServerSuite, NO_RATE_LIMITS } from './forum-world';

const FEED = `query { board(slug: "general") { threads(first: 20, order: HOT) {
  edges { node { id title score commentCount author { handle employerLabel } } } } } }`;

/**
 * Past capacity the server answers 503 OVERLOADED with Retry-After at once instead of
 * queueing (project issue 24). The built server runs with a low event-loop delay limit, so
 * that real load from this process takes it past capacity on any machine; nothing in the
 * server exists to slow it down on purpose.
 */
describe(`Load shedding on event-loop delay (${onPostgres() ? 'PostgreSQL' : 'SQLite'})`, () => {
  const suite = forumServerSuite(2);

  it('answers 503 OVERLOADED with Retry-After past capacity, never sheds health or metrics, and counts what it shed', async () => {
    const server = await startServer(
      serverEnv(suite.stores().env, {
        ...NO_RATE_LIMITS,
        LOAD_SHED_MAX_EVENT_LOOP_DELAY_MS: '10',
        LOAD_SHED_RETRY_AFTER_SECONDS: '3',
      }),
    );
    suite.server.current = server;
    const { url } = server;
    const agent = keepAliveAgent(256);
    const authorization = `Bearer ${suite.world().members[0].token}`;
    const answers: RawAnswer[] = [];
    const failures: string[] = [];
    const health: number[] = [];
    let shed = 0;
    // Idle, the server serves: what follows is shed because of the load, not always.
    const idle = await waitFor('the idle server to serve a request', async () => {
      const answer = await postGraphql(url, agent, FEED, {}, { authorization }).answer;
      return answer.status === 200 ? answer : undefined;
    });
    expect(idle.body.errors).toBeUndefined();
    // Waves of concurrent reads, each far more than the server handles in one turn of its
    // event loop, until some are shed (or a generous number of waves has passed).
    for (let wave = 0; wave < 40 && shed < 5; wave += 1) {
      const live = fetch(`${url}/health/live`).then((r) => health.push(r.status));
      const sent = Array.from(
        { length: 200 },
        () => postGraphql(url, agent, FEED, {}, { authorization }).answer,
      );
      for (const result of await Promise.allSettled(sent)) {
        if (result.status === 'rejected') failures.push((result.reason as Error).message);
        else {
          answers.push(result.value);
          if (result.value.status === 503) shed += 1;
        }
      }
      await live;
    }
    agent.destroy();

    expect(failures).toEqual([]);
    const refused = answers.filter((a) => a.status === 503);
    expect(refused.length).toBeGreaterThan(0);
    for (const answer of refused) {
      expect(answer.headers['retry-after']).toBe('3');
      expect(answer.body.errors?.[0].extensions?.code).toBe('OVERLOADED');
      expect(answer.body.errors?.[0].message).toMatch(/overloaded/);
    }
    // Everything else was served in full; nothing else answered 5xx.
    const others = answers.filter((a) => a.status !== 503);
    expect(others.filter((a) => a.status !== 200 || a.body.errors !== undefined)).toEqual([]);
    expect(health.every((status) => status === 200)).toBe(true);

    const metrics = await fetch(`${url}/metrics`, {
      headers: { authorization: `Bearer ${TEST_METRICS_TOKEN}` },
    });
    expect(metrics.status).toBe(200);
    const counted = /^http_requests_shed_total (\d+)$/m.exec(await metrics.text());
    expect(Number(counted?.[1])).toBeGreaterThanOrEqual(refused.length);
    expect(server.output()).toMatch(/Overloaded: answering 503 OVERLOADED/);
    process.stdout.write(
      `load shedding: ${answers.length} requests, ${refused.length} shed (503), ${others.length} served\n`,
    );
  }, 240_000);
});
