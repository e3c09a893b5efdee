import { readFileSync } from 'node:fs';

/**
 * A dotenv file as VS Code and Cursor read `envFile`: KEY=VALUE lines, `#` comments, an optional
 * `export `, and quotes around a value dropped (escapes inside double quotes kept as written).
 */
export function parseEnvFile(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!match) continue;
    let value = match[2]!;
    const quoted = /^(["'`])(.*?)\1(\s+#.*)?$/.exec(value);
    if (quoted) value = quoted[2]!;
    else value = value.replace(/\s+#.*$/, '');
    env[match[1]!] = value;
  }
  return env;
}

export function readEnvFile(file: string): Record<string, string> {
  return parseEnvFile(readFileSync(file, 'utf8'));
}
