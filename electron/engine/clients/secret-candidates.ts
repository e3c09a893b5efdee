import { SECRET_NAME_PATTERN } from '../../shared/config.js';

/** A value in an entry that looks like a credential, and how to put a reference in its place. */
export interface SecretCandidate {
  /** `env.GITHUB_TOKEN`, `headers.Authorization`. */
  at: string;
  /** The credential itself (for `Bearer X`, just X). */
  value: string;
  /** The entry's text with `ref` where the credential was. */
  withReference(ref: string): string;
  /** A keyring name proposal: SERVER-KEY. */
  proposedName: string;
  /** Writes `text` (the value with a reference, or a hint) where the credential sits in `entry`. */
  put(entry: Record<string, unknown>, text: string): void;
}

/** Names that say "credential": API_KEY, GITHUB_TOKEN, DB_PASSWORD, X-Api-Key, CLIENT_SECRET, ... */
const SECRET_KEY =
  /(token|secret|passw(or)?d|pwd|api[_-]?key|apikey|access[_-]?key|private[_-]?key|credential|auth|cookie|(^|[_-])pat$|(^|[_-])key$)/i;

/** Values that are credentials whatever their name: well-known token prefixes and JWTs. */
const SECRET_VALUE = [
  /^(ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{20,}$/,
  /^github_pat_[A-Za-z0-9_]{20,}$/,
  /^sk-[A-Za-z0-9_-]{16,}$/,
  /^xox[abposr]-[A-Za-z0-9-]{10,}$/,
  /^glpat-[A-Za-z0-9_-]{16,}$/,
  /^AKIA[0-9A-Z]{16}$/,
  /^AIza[0-9A-Za-z_-]{30,}$/,
  /^(sk|rk|pk)_(live|test)_[A-Za-z0-9]{10,}$/,
  /^(lin_api|ntn|npm|pplx|hf)_[A-Za-z0-9]{16,}$/,
  /^eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\./,
];

/** Values that are surely not credentials even under a credential-ish name. */
function plainlyNotSecret(value: string): boolean {
  return (
    value.length < 6 ||
    value.includes('${') ||
    /^(true|false|yes|no|on|off|none|null|\d+)$/i.test(value) ||
    /^(~|\.{0,2}[\\/]|[A-Za-z]:[\\/])/.test(value) || // a path
    (/^[a-z]+:\/\//i.test(value) && !passwordInUrl(value)) ||
    /^[a-z]+([_-][a-z]+)*$/.test(value) // a lowercase word: "oauth", "read-only", "bearer"
  );
}

/**
 * The credentials in an entry: in `env` and `headers` by name or look, and the password of a URL
 * in `args` or `url` (postgresql://app:PASS@host/db: only PASS moves, the rest stays readable).
 */
export function findSecretCandidates(
  server: string,
  config: Readonly<Record<string, unknown>>,
): SecretCandidate[] {
  const found: SecretCandidate[] = [];
  for (const field of ['env', 'headers'] as const) {
    const record = config[field];
    if (typeof record !== 'object' || record === null) continue;
    for (const [key, value] of Object.entries(record as Record<string, unknown>)) {
      if (typeof value !== 'string') continue;
      const candidate = credentialIn(key, value);
      if (!candidate) continue;
      const put = (entry: Record<string, unknown>, text: string) => {
        (entry[field] as Record<string, string>)[key] = text;
      };
      found.push({ at: `${field}.${key}`, proposedName: secretName(server, key), put, ...candidate });
    }
  }
  const args = Array.isArray(config.args) ? config.args : [];
  args.forEach((arg, index) => {
    const candidate = typeof arg === 'string' ? passwordInUrl(arg) : undefined;
    if (!candidate) return;
    const put = (entry: Record<string, unknown>, text: string) => {
      (entry.args as string[])[index] = text;
    };
    found.push({ at: `args[${index}]`, proposedName: secretName(server, 'password'), put, ...candidate });
  });
  const url = typeof config.url === 'string' ? passwordInUrl(config.url) : undefined;
  if (url) {
    const put = (entry: Record<string, unknown>, text: string) => {
      entry.url = text;
    };
    found.push({ at: 'url', proposedName: secretName(server, 'password'), put, ...url });
  }
  return found;
}

/** The password written in a URL, as written (the reference takes its place, the rest stays). */
function passwordInUrl(value: string): Pick<SecretCandidate, 'value' | 'withReference'> | undefined {
  const match = /^([a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*:)([^@/?#\s]+)(@.*)$/i.exec(value);
  if (!match || match[2]!.includes('${')) return undefined;
  const [, before, password, after] = match as unknown as [string, string, string, string];
  return { value: password, withReference: (ref) => `${before}${ref}${after}` };
}

function credentialIn(
  key: string,
  value: string,
): Pick<SecretCandidate, 'value' | 'withReference'> | undefined {
  const scheme = /^(Bearer|Basic|Token|Bot)\s+(\S+)$/i.exec(value);
  if (scheme && !scheme[2]!.includes('${')) {
    return { value: scheme[2]!, withReference: (ref) => `${scheme[1]} ${ref}` };
  }
  if (SECRET_VALUE.some((pattern) => pattern.test(value))) return { value, withReference: (ref) => ref };
  // Under env, a URL with a password moves whole (the variable holds the URL, not its parts).
  if (passwordInUrl(value)) return { value, withReference: (ref) => ref };
  if (SECRET_KEY.test(key) && !plainlyNotSecret(value)) return { value, withReference: (ref) => ref };
  return undefined;
}

/** SERVER-KEY in the characters a secret name may have. */
function secretName(server: string, key: string): string {
  const name = `${server}-${key}`.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '');
  const cut = name.slice(0, 120);
  return SECRET_NAME_PATTERN.test(cut) ? cut : `secret-${cut}`.slice(0, 120);
}
