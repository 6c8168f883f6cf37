import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { metricNames, scrapeMetrics } from '../../utils/metrics';
import { createTestApp, type TestApp } from '../../utils/test-app';

interface Panel {
  title: string;
  type: string;
  targets?: Array<{ expr: string }>;
}
interface Dashboard {
  panels: Panel[];
  templating: { list: Array<{ name: string; query: string | { query: string } }> };
}

const dashboard = JSON.parse(
  readFileSync(join(__dirname, '../../../docs/grafana/forum-dashboard.json'), 'utf8'),
) as Dashboard;

/** The metric of every selector `name{…}` in a PromQL expression. */
const selectors = (expr: string) =>
  [...expr.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\{/g)].map((match) => match[1]);

describe('The Grafana dashboard in docs/grafana', () => {
  let sut: TestApp;

  beforeAll(async () => {
    sut = await createTestApp();
  });

  afterAll(() => sut.close());

  it('queries only metrics the server exposes', async () => {
    const exposed = metricNames(await scrapeMetrics(sut.url));
    const used = new Map<string, string>();
    for (const panel of dashboard.panels) {
      for (const { expr } of panel.targets ?? []) {
        const names = selectors(expr);
        expect({ panel: panel.title, expr, selects: names.length > 0 }).toMatchObject({
          selects: true,
        });
        for (const name of names) used.set(name, panel.title);
      }
    }
    for (const variable of dashboard.templating.list) {
      const query = typeof variable.query === 'string' ? variable.query : variable.query.query;
      for (const [, name] of query.matchAll(/label_values\(([a-zA-Z_:][a-zA-Z0-9_:]*)/g))
        used.set(name, `variable ${variable.name}`);
    }
    expect(used.size).toBeGreaterThan(20);
    const missing = [...used].filter(([name]) => !exposed.has(name));
    expect(missing).toEqual([]);
  });

  it('lets the importer choose the Prometheus data source and filters every query by instance', () => {
    const variables = dashboard.templating.list.map((variable) => variable.name);
    expect(variables).toEqual(expect.arrayContaining(['DS_PROMETHEUS', 'instance']));
    for (const panel of dashboard.panels) {
      for (const { expr } of panel.targets ?? []) {
        for (const selector of expr.matchAll(/\{([^}]*)\}/g))
          expect({ expr, selector: selector[1] }).toMatchObject({
            selector: expect.stringContaining('instance=~"$instance"'),
          });
      }
    }
  });
});
