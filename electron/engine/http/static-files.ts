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

export interface StaticFile {
  /** Absolute path, always inside the root. */
  file: string;
  size: number;
  headers: Record<string, string>;
}

/**
 * Finds the built window's file for a URL path: only files inside `root`, `index.html` for `/`, long
 * caching for the hashed assets and none for the page, which also gets the CSP. Undefined when there
 * is no such file (or the path tries to leave `root`), so each caller answers 404 its own way. Shared
 * by `switchboard serve` and the desktop window's app:// protocol, so both serve the same headers.
 */
export async function resolveStaticFile(root: string, pathname: string): Promise<StaticFile | undefined> {
  let relative: string;
  try {
    relative = decodeURIComponent(pathname === '/' ? '/index.html' : pathname);
  } catch {
    return undefined;
  }
  const base = path.resolve(root);
  const file = path.resolve(base, `.${relative}`);
  if (!file.startsWith(base + path.sep) || relative.includes('\0')) return undefined;
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) return undefined;
  const ext = path.extname(file);
  const isPage = ext === '.html';
  return {
    file,
    size: info.size,
    headers: {
      'Content-Type': TYPES[ext] ?? 'application/octet-stream',
      'Content-Length': String(info.size),
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': isPage ? 'no-store' : 'public, max-age=31536000, immutable',
      ...(isPage ? { 'Content-Security-Policy': DASHBOARD_CSP, 'Referrer-Policy': 'no-referrer' } : {}),
    },
  };
}

/**
 * Serves the built window (dist/renderer) at `/` (see resolveStaticFile). Answers false when there
 * is no such file, so the caller can answer 404 its own way.
 */
export async function serveStatic(
  root: string,
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
): Promise<boolean> {
  const found = await resolveStaticFile(root, pathname);
  if (!found) return false;
  res.writeHead(200, found.headers);
  if (req.method === 'HEAD') {
    res.end();
    return true;
  }
  await new Promise<void>((resolve) => {
    const stream = createReadStream(found.file);
    stream.on('error', () => (res.destroy(), resolve()));
    stream.pipe(res).on('finish', resolve).on('close', resolve);
  });
  return true;
}
