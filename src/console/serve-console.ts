import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { type Request, type Response, type Router } from 'express';
import helmet from 'helmet';
import { PROJECT_ROOT } from '../common/project-root';

/** Where `npm run build` puts the console (Vite's output for src/console/app). */
export const CONSOLE_DIR = join(PROJECT_ROOT, 'dist', 'console');
export const CONSOLE_PATH = '/console';

/**
 * The console's own content security policy, sent in every mode: the console loads nothing
 * but its own files and talks only to this server's /graphql (HTTP and WebSocket), so any
 * other request a page tried would be refused by the browser.
 */
const consolePolicy = helmet.contentSecurityPolicy({
  useDefaults: false,
  directives: {
    defaultSrc: ["'none'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'", 'data:'],
    connectSrc: ["'self'"],
    manifestSrc: ["'self'"],
    baseUri: ["'none'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
  },
});

/**
 * Serves the built console at /console: hashed assets cached for a year, index.html never
 * cached, and a plain 503 when the console was not built (a server started from `tsc` output
 * alone still serves GraphQL). Without `sourceMaps` (production) the `.map` files of the
 * build are not served: a 404 like any unknown file.
 */
export function consoleRouter(
  dir: string = CONSOLE_DIR,
  { sourceMaps = true }: { sourceMaps?: boolean } = {},
): Router {
  const router = express.Router();
  router.use(consolePolicy);
  if (!sourceMaps) {
    router.use((req: Request, res: Response, next: () => void) => {
      if (!req.path.endsWith('.map')) return next();
      res.status(404).type('text/plain').send('Not found\n');
    });
  }
  router.use((_req: Request, res: Response, next: () => void) => {
    if (existsSync(join(dir, 'index.html'))) return next();
    res.status(503).type('text/plain').send('The console is not built: run `npm run build`.\n');
  });
  router.use(
    express.static(dir, {
      index: 'index.html',
      fallthrough: true,
      setHeaders(res, path) {
        res.setHeader(
          'Cache-Control',
          path.includes(`${join(dir, 'assets')}`)
            ? 'public, max-age=31536000, immutable'
            : 'no-cache',
        );
      },
    }),
  );
  router.use((_req: Request, res: Response) => {
    res.status(404).type('text/plain').send('Not found\n');
  });
  return router;
}
