/**
 * Secret redaction for anything Switchboard writes down (activity log, server logs): values under
 * sensitive keys, and strings that look like credentials wherever they appear. It errs towards
 * hiding: a false positive costs a little readability, a false negative leaks a credential.
 */

export const REDACTED = '[redacted]';

export interface RedactOptions {
  /** Deeper values become '[too deep]'. */
  maxDepth?: number;
  /** Longer strings are cut (after a margin is redacted, so a cut never exposes half a secret). */
  maxStringChars?: number;
  /** Values past this many (objects, arrays, strings...) become '[cut]': bounds the work on huge input. */
  maxNodes?: number;
}

// ---- sensitive keys ----

/** Key words that name a secret on their own (keys are split into words: camelCase, -, _, ., spaces). */
const SECRET_WORDS = new Set([
  'password',
  'passwd',
  'passphrase',
  'secret',
  'secrets',
  'token',
  'credential',
  'credentials',
  'authorization',
  'cookie',
  'cookies',
  'apikey',
  'privatekey',
  'jwt',
  'bearer',
]);
/** Words that make "...key" a secret: api_key, privateKey, x-api-key, SECRET_KEY. */
const KEY_QUALIFIERS = new Set([
  'api',
  'private',
  'access',
  'secret',
  'signing',
  'encryption',
  'master',
  'license',
  'client',
  'ssh',
]);
/** Whole keys (words joined) that are secrets whatever their words say: id_token, pass, auth. */
const SECRET_KEYS = new Set([
  'auth',
  'pass',
  'pwd',
  'idtoken',
  'accesstoken',
  'refreshtoken',
  'sessiontoken',
  'authtoken',
  'clientsecret',
]);
/** Compounds written without separators (accesstoken, clientsecret...). */
const SECRET_COMPOUND =
  /password|passwd|passphrase|apikey|privatekey|accesstoken|refreshtoken|idtoken|authtoken|clientsecret|secretkey|accesskey|sessiontoken/;
/** Words that make the value ABOUT a secret, not the secret: token_count, secretName, passwordFile. */
const NOT_SECRET_WORDS = new Set([
  'count',
  'counts',
  'limit',
  'limits',
  'max',
  'min',
  'total',
  'length',
  'size',
  'usage',
  'used',
  'remaining',
  'budget',
  'ttl',
  'type',
  'kind',
  'url',
  'uri',
  'endpoint',
  'expiry',
  'expires',
  'expiration',
  'name',
  'id',
  'path',
  'file',
  'location',
  'hint',
]);

function keyWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** Keys repeat (every call has `name`, `arguments`...): their verdicts are kept, up to this many. */
const KEY_CACHE_LIMIT = 4096;
const keyVerdicts = new Map<string, boolean>();

/** True when a value stored under `key` is a secret (password, api_key, Authorization, x-auth-token...). */
export function isSensitiveKey(key: string): boolean {
  let verdict = keyVerdicts.get(key);
  if (verdict === undefined) {
    verdict = judgeKey(key);
    if (keyVerdicts.size >= KEY_CACHE_LIMIT) keyVerdicts.clear();
    keyVerdicts.set(key, verdict);
  }
  return verdict;
}

function judgeKey(key: string): boolean {
  if (key.length > 100) return false;
  const words = keyWords(key);
  const joined = words.join('');
  if (SECRET_KEYS.has(joined)) return true;
  if (words.some((w) => NOT_SECRET_WORDS.has(w))) return false;
  if (SECRET_COMPOUND.test(joined)) return true;
  return words.some(
    (w, i) => SECRET_WORDS.has(w) || (w === 'key' && i > 0 && KEY_QUALIFIERS.has(words[i - 1]!)),
  );
}

// ---- secrets inside text ----

type Replacer = (substring: string, ...groups: string[]) => string;
type TextRule = (text: string) => string;

function regexRule(pattern: RegExp, replace: string | Replacer): TextRule {
  return (text) => text.replace(pattern, replace as Replacer);
}

/**
 * `key=value` / `key: value` pairs whose key is sensitive. Only the key is matched by the scanning
 * pattern, so a harmless pair never swallows the next one (`url=https://h/?password=x`). Keys start
 * at a word start only, which keeps the scan linear on long runs of word characters.
 */
function keyValueRule(keyPattern: RegExp, valuePattern: RegExp): TextRule {
  return (text) => {
    let out = '';
    let copied = 0;
    keyPattern.lastIndex = 0;
    for (let m = keyPattern.exec(text); m; m = keyPattern.exec(text)) {
      if (!isSensitiveKey(m[2] ?? '')) continue;
      valuePattern.lastIndex = keyPattern.lastIndex;
      const value = valuePattern.exec(text)?.[0];
      if (!value || /^(?:true|false|null)$/.test(value) || text.startsWith(REDACTED, keyPattern.lastIndex))
        continue;
      out += text.slice(copied, keyPattern.lastIndex) + (value.startsWith('"') ? `"${REDACTED}"` : REDACTED);
      copied = keyPattern.lastIndex = valuePattern.lastIndex;
    }
    return copied === 0 ? text : out + text.slice(copied);
  };
}

const TOKEN_CHARS = 'A-Za-z0-9\\-._~+/';
const QUOTED_OR_WORD = String.raw`"(?:[^"\\\n]|\\.)*"|'[^'\n]*'`;

/** Applied in order; each keeps the text around the secret. */
const TEXT_RULES: TextRule[] = [
  // PEM private keys, also when cut before the END line.
  regexRule(
    /-----BEGIN [A-Z ]*PRIVATE KEY-----(?:[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----|[\s\S]*$)/g,
    REDACTED,
  ),
  // user:password@ in URLs (postgres://u:p@host, https://u:p@host).
  regexRule(/\b([a-z][a-z0-9+.-]{1,20}:\/\/[^\s:/@]+:)[^\s@/]+@/gi, `$1${REDACTED}@`),
  // Header lines whose whole value is secret.
  regexRule(/\b((?:proxy-)?authorization|(?:set-)?cookie)([ \t]*:[ \t]*)[^\r\n"]+/gi, `$1$2${REDACTED}`),
  // Bearer / Basic credentials.
  regexRule(
    new RegExp(`\\b(bearer)(\\s+)([${TOKEN_CHARS}]{8,}=*)`, 'gi'),
    (match, scheme = '', space = '', value = '') =>
      looksLikeCredential(value) ? `${scheme}${space}${REDACTED}` : match,
  ),
  regexRule(
    /\b(basic)(\s+)([A-Za-z0-9+/]{6,}={0,2})(?![A-Za-z0-9+/=])/gi,
    (match, scheme = '', space = '', value = '') =>
      /[0-9+/=]|.[A-Z]/.test(value) ? `${scheme}${space}${REDACTED}` : match,
  ),
  // "key": "value" in JSON, key: value in log lines and YAML.
  keyValueRule(
    /(?<![\w.])(["']?)([A-Za-z][\w.-]{0,63})\1[ \t]*:[ \t]*/g,
    new RegExp(`${QUOTED_OR_WORD}|[^\\s,;"'}\\]]+`, 'y'),
  ),
  // key=value in query strings, env lines, connection strings, --flags.
  keyValueRule(/(?<![\w.])()([A-Za-z][\w.-]{0,63})=/g, new RegExp(`${QUOTED_OR_WORD}|[^\\s&;,"'<>)]+`, 'y')),
  // Well-known credential formats.
  regexRule(/\b(?:sk|rk)-[A-Za-z0-9_-]{16,}/g, REDACTED), // OpenAI, Anthropic
  regexRule(/\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}/g, REDACTED), // Stripe
  regexRule(/\bgh[pousr]_[A-Za-z0-9]{20,}/g, REDACTED), // GitHub
  regexRule(/\bgithub_pat_[A-Za-z0-9_]{20,}/g, REDACTED),
  regexRule(/\bglpat-[A-Za-z0-9_-]{20,}/g, REDACTED), // GitLab
  regexRule(/\bxox[abposr]-[A-Za-z0-9-]{10,}/g, REDACTED), // Slack
  regexRule(/\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, REDACTED), // AWS access key id
  regexRule(/\bAIza[0-9A-Za-z_-]{35}/g, REDACTED), // Google API key
  regexRule(/\bnpm_[A-Za-z0-9]{36}\b/g, REDACTED),
  regexRule(/\beyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]*/g, REDACTED), // JWT
  // Anything else long and random: hex keys, base64 secrets.
  regexRule(/(?<![A-Za-z0-9+/_=-])[A-Za-z0-9+/_=-]{32,}(?![A-Za-z0-9+/_=-])/g, (match) =>
    isHighEntropy(match) ? REDACTED : match,
  ),
];

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** A bearer token has a digit or a symbol, or is long: "Bearer responsibilities" is prose. */
function looksLikeCredential(value: string): boolean {
  return /[0-9\-._~+/=]/.test(value) || value.length >= 20;
}

/**
 * Random-looking: hex with digits and letters, or mixed-class text that is not made of words.
 * Identifiers and paths are mostly pronounceable runs (`get`, `User`, `MAX`) with few digit runs;
 * random base64 is mostly not. UUIDs are ids, not secrets, and are judged without them.
 */
function isHighEntropy(candidate: string): boolean {
  const text = candidate.replace(UUID, '');
  if (text.length < 32) return false;
  if (/^[0-9a-f]+$/i.test(text)) return /[0-9]/.test(text) && /[a-f]/i.test(text);
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/].filter((c) => c.test(text)).length;
  if (classes < 2) return false;
  if ((text.match(/[0-9]+/g)?.length ?? 0) >= 4) return true;
  let wordChars = 0;
  for (const [word] of text.matchAll(/[A-Z]?[a-z]{2,}|[A-Z]{3,}/g)) {
    if (/[aeiouy]/i.test(word.slice(1))) wordChars += word.length;
  }
  return wordChars / text.length < 0.55;
}

/**
 * What every rule needs to match something: a `:`, `=` or `@` (pairs, headers, URLs), a run of 14+
 * token characters (every credential format, PEM bodies, random keys), or a Bearer/Basic scheme.
 * Text without any (most of it: "hello", file names, numbers) skips the rules.
 */
const MIGHT_HOLD_SECRET = /[:=@]|[A-Za-z0-9+/_=.~-]{14,}|\b(?:bearer|basic)\s|-----BEGIN/i;

/** The text with every secret-looking substring replaced by '[redacted]' (for log lines). */
export function redactText(text: string): string {
  if (!MIGHT_HOLD_SECRET.test(text)) return text;
  let out = text;
  for (const rule of TEXT_RULES) out = rule(out);
  return out;
}

// ---- structured values ----

/**
 * `value` with values under sensitive keys replaced by '[redacted]' (booleans and null kept) and
 * secrets inside every string replaced. Safe on cycles and bounded in depth. Copy on write: parts
 * with nothing to hide are returned as they are (the same objects), so clean input costs no copy;
 * a caller must not change the result.
 */
export function redact(value: unknown, options: RedactOptions = {}): unknown {
  const state: CopyState = {
    maxDepth: options.maxDepth ?? 20,
    maxStringChars: options.maxStringChars ?? Number.POSITIVE_INFINITY,
    nodesLeft: options.maxNodes ?? Number.POSITIVE_INFINITY,
    ancestors: [],
  };
  return copy(value, 0, state);
}

interface CopyState {
  maxDepth: number;
  maxStringChars: number;
  nodesLeft: number;
  /** The objects above the current one (at most maxDepth): a cycle leads back to one of them. */
  ancestors: object[];
}

function copy(value: unknown, depth: number, state: CopyState): unknown {
  if (state.nodesLeft-- <= 0) return '[cut]';
  if (typeof value === 'string') return redactString(value, state.maxStringChars);
  if (typeof value !== 'object' || value === null) return typeof value === 'function' ? undefined : value;
  if (state.ancestors.includes(value)) return '[circular]';
  if (depth >= state.maxDepth) return '[too deep]';
  state.ancestors.push(value);
  try {
    return Array.isArray(value) ? copyArray(value, depth, state) : copyObject(value, depth, state);
  } finally {
    state.ancestors.pop();
  }
}

function copyArray(value: unknown[], depth: number, state: CopyState): unknown[] {
  let out: unknown[] | undefined;
  for (let i = 0; i < value.length; i++) {
    const item = value[i];
    const next = copy(item, depth + 1, state);
    if (out) out.push(next);
    else if (next !== item) (out = value.slice(0, i)).push(next);
  }
  return out ?? value;
}

function copyObject(value: object, depth: number, state: CopyState): object {
  let out: Record<string, unknown> | undefined;
  const entries = Object.entries(value);
  for (let i = 0; i < entries.length; i++) {
    const [key, item] = entries[i]!;
    const next =
      isSensitiveKey(key) && item !== null && typeof item !== 'boolean' && item !== undefined
        ? REDACTED
        : copy(item, depth + 1, state);
    if (out) out[key] = next;
    else if (next !== item) {
      out = Object.fromEntries(entries.slice(0, i));
      out[key] = next;
    }
  }
  return out ?? value;
}

/** Redacts a margin past the cut too, so a secret that straddles the cut is still caught whole. */
function redactString(text: string, maxChars: number): string {
  if (text.length <= maxChars) return redactText(text);
  const redacted = redactText(text.slice(0, maxChars + 512));
  return `${redacted.slice(0, maxChars)}… [${text.length - maxChars} more characters]`;
}
