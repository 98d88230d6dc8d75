import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Logger } from '@uif/runtime';
import express, { type Response, type Router } from 'express';

/**
 * The admin console's files only, from this origin: no inline script or style, no other host, and
 * the page may not be framed. graphql-ws to /graphql is covered by 'self'.
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The console's build, or null when the package is not installed beside the gateway. */
function consoleDir(): string | null {
  try {
    const require = createRequire(import.meta.url);
    return join(dirname(require.resolve('@uif/console/package.json')), 'dist');
  } catch {
    return null;
  }
}

function secureHeaders(res: Response): void {
  res.setHeader('Content-Security-Policy', CONSOLE_CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
}

/** Serves the built console at / (its hashed assets under /assets, cached for a year). */
export function consoleRoutes(log: Logger, dir = consoleDir()): Router {
  const router = express.Router();
  const index = dir === null ? null : join(dir, 'index.html');
  const built = () => index !== null && existsSync(index);
  if (!built()) log.warn({ dir }, 'the admin console is not built: run pnpm build');
  router.get('/', (_req, res) => {
    secureHeaders(res);
    if (!built()) {
      res.status(503).type('text').send('The admin console is not built: run pnpm build.');
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index!, { dotfiles: 'allow' });
  });
  if (dir === null) return router;
  router.use(
    '/assets',
    (_req, res, next) => {
      secureHeaders(res);
      next();
    },
    express.static(join(dir, 'assets'), {
      immutable: true,
      maxAge: '365d',
      index: false,
      dotfiles: 'allow',
      fallthrough: false,
    }),
  );
  return router;
}
