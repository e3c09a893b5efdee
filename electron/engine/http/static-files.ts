import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/** The page may load and talk to this engine only; inline style attributes are Vue's bindings. */
export const DASHBOARD_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * Serves the built window (dist/renderer) at `/`: files only from inside `root`, `index.html` for
 * `/`, long caching for the hashed assets and none for the page. Answers false when there is no such
 * file, so the caller can answer 404 its own way.
 */
export async function serveStatic(
  root: string,
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
): Promise<boolean> {
  let relative: string;
  try {
    relative = decodeURIComponent(pathname === '/' ? '/index.html' : pathname);
  } catch {
    return false;
  }
  const file = path.resolve(root, `.${relative}`);
  if (!file.startsWith(root + path.sep) || relative.includes('\0')) return false;
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) return false;
  const ext = path.extname(file);
  const isPage = ext === '.html';
  res.writeHead(200, {
    'Content-Type': TYPES[ext] ?? 'application/octet-stream',
    'Content-Length': info.size,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': isPage ? 'no-store' : 'public, max-age=31536000, immutable',
    ...(isPage ? { 'Content-Security-Policy': DASHBOARD_CSP, 'Referrer-Policy': 'no-referrer' } : {}),
  });
  if (req.method === 'HEAD') {
    res.end();
    return true;
  }
  await new Promise<void>((resolve) => {
    const stream = createReadStream(file);
    stream.on('error', () => (res.destroy(), resolve()));
    stream.pipe(res).on('finish', resolve).on('close', resolve);
  });
  return true;
}
