import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The forms a secret may leak in: as is, base64, base64url, URL-encoded. */
export function secretForms(value: string): Record<string, string> {
  return {
    raw: value,
    base64: Buffer.from(value).toString('base64'),
    base64url: Buffer.from(value).toString('base64url'),
    'url-encoded': encodeURIComponent(value),
  };
}

/** Every file under `dir` (recursively), by path relative to it. */
export function filesUnder(dir: string): Record<string, Buffer> {
  const files: Record<string, Buffer> = {};
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    files[path.relative(dir, file)] = readFileSync(file);
  }
  return files;
}

/** `place: form` for each place whose text holds any form of the secret. */
export function findLeaks(places: Record<string, string | Buffer>, forms: Record<string, string>): string[] {
  const leaks: string[] = [];
  for (const [place, content] of Object.entries(places)) {
    for (const [form, text] of Object.entries(forms))
      if (content.includes(text)) leaks.push(`${place}: ${form}`);
  }
  return leaks;
}
