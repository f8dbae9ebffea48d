import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localWebApp, withWebApp } from '../../local/static.js';
import { DEFAULT_DEPLOYMENT } from '../../shared/config/deployment.js';

/** The local runtime's web serving, in front of a stand-in API that answers every request it gets. */
describe('the web app next to the API', () => {
  let server: Server;
  let url: string;

  beforeAll(async () => {
    const web = await localWebApp(DEFAULT_DEPLOYMENT);
    server = createServer(
      withWebApp((request, response) => {
        response.writeHead(404, { 'Content-Type': 'application/problem+json' });
        response.end(JSON.stringify({ api: true, method: request.method, path: request.url }));
      }, web),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('sends / to the app', async () => {
    const response = await fetch(`${url}/`, { redirect: 'manual' });

    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/app/');
  });

  it("answers the app's own addresses with the page shell and its security headers", async () => {
    const response = await fetch(`${url}/app/referrals/new`);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const html = await response.text();
    expect(html).toContain('<html lang="sv">');
    expect(html).toMatch(/<script type="module" src="\/app\/assets\/main-[A-Z0-9]+\.js"><\/script>/);
  });

  it('serves the hashed assets for ever and names no missing asset', async () => {
    const html = await (await fetch(`${url}/app/`)).text();
    const script = /src="([^"]+\.js)"/.exec(html)?.[1];
    const styles = /href="([^"]+\.css)"/.exec(html)?.[1];

    const js = await fetch(`${url}${script}`);
    const css = await fetch(`${url}${styles}`);
    expect(js.status).toBe(200);
    expect(js.headers.get('cache-control')).toContain('immutable');
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect((await fetch(`${url}/app/assets/missing.js`)).status).toBe(404);
  });

  it("gives the app the deployment's municipality, teams and local sign-in", async () => {
    const config = await (await fetch(`${url}/app/config.json`)).json();

    expect(config).toMatchObject({
      apiBaseUrl: '',
      auth: { mode: 'local' },
      municipality: { code: '2262', name: 'Timrå' },
      teams: DEFAULT_DEPLOYMENT.teams,
    });
  });

  it("gives the accessibility statement the deployment's contact, or a placeholder nobody reads", async () => {
    const config = (await (await fetch(`${url}/app/config.json`)).json()) as { accessibilityContact: string };
    const named = await localWebApp(DEFAULT_DEPLOYMENT, 'tillganglighet@sundsvall.se');

    expect(config.accessibilityContact).toBe(
      process.env.FRONTDESK_ACCESSIBILITY_CONTACT || 'tillganglighet@kommun.example',
    );
    expect(named.config.accessibilityContact).toBe('tillganglighet@sundsvall.se');
  });

  it('leaves every API route and every other method to the API', async () => {
    for (const [method, path] of [
      ['GET', '/referrals'],
      ['GET', '/health'],
      ['GET', '/local/users'],
      ['POST', '/app/referrals/new'],
      ['GET', '/application'],
    ] as const) {
      const body = await (await fetch(`${url}${path}`, { method })).json();
      expect(body, `${method} ${path}`).toEqual({ api: true, method, path });
    }
  });
});
