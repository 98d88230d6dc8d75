import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createLogger } from '@uif/runtime';
import { temporaryDirectory } from '@uif/testing';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { consoleRoutes } from './console.js';

const servers: Server[] = [];

async function serve(dir: string | null): Promise<string> {
  const app = express();
  app.use(consoleRoutes(createLogger({ name: 'gateway', level: 'silent' }), dir));
  const server = createServer(app);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

describe('the console served by the gateway', () => {
  it('serves the page at / under a CSP that allows only its own origin, and its hashed assets for a year', async () => {
    const dir = temporaryDirectory();
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>console</title>');
    writeFileSync(join(dir, 'assets', 'index-abc.js'), 'console.log(1)');
    const url = await serve(dir);

    const page = await fetch(`${url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>console</title>');
    const csp = page.headers.get('content-security-policy')!;
    expect(csp.split('; ')).toEqual(
      expect.arrayContaining([
        "default-src 'none'",
        "script-src 'self'",
        "connect-src 'self'",
        "frame-ancestors 'none'",
      ]),
    );
    expect(csp).not.toMatch(/unsafe|https?:/);
    expect(page.headers.get('cache-control')).toBe('no-cache');

    const asset = await fetch(`${url}/assets/index-abc.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect(asset.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await fetch(`${url}/assets/missing.js`)).status).toBe(404);
  });

  it('says how to build the console when it is not built or not installed, instead of an empty page', async () => {
    for (const dir of [temporaryDirectory(), null]) {
      const page = await fetch(`${await serve(dir)}/`);
      expect(page.status).toBe(503);
      expect(await page.text()).toBe('The admin console is not built: run pnpm build.');
    }
  });
});
