import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { DeploymentConfig } from '../shared/config/deployment.js';
import { buildWeb, WEB_BASE, type WebFiles } from '../web/build.js';
import type { WebConfig } from '../web/src/config.js';
import { redactPath } from './api-gateway.js';

/**
 * Serves the staff web app next to the API, as CloudFront serves it from S3 in AWS: GET and HEAD of
 * `/` and `/app/…` only (no API route lives there), every other request goes to the API unchanged.
 * `/app/…` paths that are no file get the page shell, so the app's own addresses survive a reload.
 */

/**
 * Where to report an accessibility problem when `FRONTDESK_ACCESSIBILITY_CONTACT` names none (a
 * reserved domain: nobody reads it). Deployed, `-c accessibilityContact=…` sets it.
 */
const LOCAL_ACCESSIBILITY_CONTACT = 'tillganglighet@kommun.example';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/** The headers the CloudFront response-headers policy sets for the deployed app. */
const SECURITY_HEADERS = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

export type WebApp = { files: WebFiles; config: WebConfig };

/**
 * The local web app: built in memory now (esbuild, a fraction of a second), signing in with demo users.
 * Its config.json says what the deployment says, the accessibility statement's contact included.
 */
export async function localWebApp(
  deployment: DeploymentConfig,
  accessibilityContact: string = process.env.FRONTDESK_ACCESSIBILITY_CONTACT || LOCAL_ACCESSIBILITY_CONTACT,
): Promise<WebApp> {
  return {
    files: await buildWeb(),
    config: {
      apiBaseUrl: '',
      auth: { mode: 'local' },
      municipality: { code: deployment.municipalityCode, name: deployment.municipalityName },
      teams: [...deployment.teams],
      restrictedTeams: [...deployment.restrictedTeams],
      accessibilityContact,
    },
  };
}

const isWebPath = (path: string) => path === '/' || path === WEB_BASE || path.startsWith(`${WEB_BASE}/`);

function send(
  request: IncomingMessage,
  response: ServerResponse,
  status: number,
  headers: Record<string, string>,
  body: Uint8Array | string,
) {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  response.writeHead(status, { ...SECURITY_HEADERS, ...headers, 'Content-Length': String(bytes.length) });
  response.end(request.method === 'HEAD' ? undefined : bytes);
}

/** Wraps the API's listener: web paths are answered here, everything else by the API. */
export function withWebApp(
  api: RequestListener,
  web: WebApp,
  log: (line: string) => void = () => undefined,
): RequestListener {
  const shell = web.files.get(`${WEB_BASE}/index.html`) ?? new Uint8Array();
  const config = JSON.stringify(web.config);
  return (request, response) => {
    const method = request.method ?? 'GET';
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (!isWebPath(path) || (method !== 'GET' && method !== 'HEAD')) return api(request, response);
    let status = 200;
    if (path === '/' || path === WEB_BASE) {
      status = 302;
      send(request, response, status, { Location: `${WEB_BASE}/`, 'Cache-Control': 'no-store' }, '');
    } else if (path === `${WEB_BASE}/config.json`) {
      send(
        request,
        response,
        status,
        { 'Content-Type': CONTENT_TYPES['.json']!, 'Cache-Control': 'no-store' },
        config,
      );
    } else if (web.files.has(path)) {
      const extension = path.slice(path.lastIndexOf('.'));
      // Assets carry a content hash in their names; the shell must always be fetched anew.
      const cache = path.startsWith(`${WEB_BASE}/assets/`)
        ? 'public, max-age=31536000, immutable'
        : 'no-cache';
      send(
        request,
        response,
        status,
        { 'Content-Type': CONTENT_TYPES[extension] ?? 'application/octet-stream', 'Cache-Control': cache },
        web.files.get(path)!,
      );
    } else if (path.startsWith(`${WEB_BASE}/assets/`)) {
      status = 404;
      send(
        request,
        response,
        status,
        { 'Content-Type': CONTENT_TYPES['.txt']!, 'Cache-Control': 'no-store' },
        'Not found',
      );
    } else {
      send(
        request,
        response,
        status,
        { 'Content-Type': CONTENT_TYPES['.html']!, 'Cache-Control': 'no-cache' },
        shell,
      );
    }
    log(`${method} ${redactPath(path)} ${status}`);
  };
}
