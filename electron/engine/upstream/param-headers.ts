import type { JsonRpcMessage } from '../jsonrpc/messages.js';
import { headerValue } from '../protocol/modern-era.js';

/**
 * SEP-2243's custom headers (2026-07-28 over Streamable HTTP): a tool's inputSchema may mark a
 * parameter with `x-mcp-header: Name`, and each tools/call then carries that argument's value in an
 * `Mcp-Param-Name` header too, so that proxies can route on it without reading the body. A tool
 * whose declarations break the rules cannot be called that way and is left out of the tool list.
 * `$ref`s are never followed (SEP-2106): a declaration behind one is not looked for.
 */

/** One declaration: where its value sits in the arguments, and the header it names. */
interface Declaration {
  path: string[];
  header: string;
}

/** RFC 9110 `token`: what a field name may be made of. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** The parameter types a header may carry (`number` is ruled out: its text form is not exact). */
const HEADER_TYPES: ReadonlySet<unknown> = new Set(['string', 'integer', 'boolean']);
/** How deep into nested object parameters declarations are looked for. */
const MAX_DEPTH = 32;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A single primitive type, or one made nullable (`["string", "null"]`). */
function headerType(type: unknown): boolean {
  if (!Array.isArray(type)) return HEADER_TYPES.has(type);
  const types = type.filter((t) => t !== 'null');
  return types.length > 0 && types.every((t) => HEADER_TYPES.has(t));
}

/** The declarations of one inputSchema, or why they are invalid. */
export function headerDeclarations(
  inputSchema: unknown,
): { declarations: Declaration[] } | { invalid: string } {
  const declarations: Declaration[] = [];
  const seen = new Set<string>();
  const walk = (schema: unknown, path: string[]): string | undefined => {
    if (!isObject(schema) || !isObject(schema.properties) || path.length >= MAX_DEPTH) return undefined;
    for (const [name, property] of Object.entries(schema.properties)) {
      if (!isObject(property)) continue;
      const where = [...path, name];
      if ('x-mcp-header' in property) {
        const header = property['x-mcp-header'];
        const at = `parameter ${where.join('.')}`;
        if (typeof header !== 'string' || !TOKEN.test(header))
          return `${at}: x-mcp-header ${JSON.stringify(header)} is not a header name`;
        if (!headerType(property.type))
          return `${at}: a ${JSON.stringify(property.type ?? 'untyped')} parameter cannot be a header`;
        if (seen.has(header.toLowerCase())) return `${at}: x-mcp-header ${header} is declared twice`;
        seen.add(header.toLowerCase());
        declarations.push({ path: where, header });
      }
      const nested = walk(property, where);
      if (nested) return nested;
    }
    return undefined;
  };
  const invalid = walk(inputSchema, []);
  return invalid === undefined ? { declarations } : { invalid };
}

/** A tools/list answer without the tools whose declarations are invalid, each one logged. */
export function withoutInvalidTools(answer: JsonRpcMessage, log: (line: string) => void): JsonRpcMessage {
  const result = answer.result;
  if (!isObject(result) || !Array.isArray(result.tools)) return answer;
  const tools = result.tools.filter((tool: unknown) => {
    const found = headerDeclarations(isObject(tool) ? tool.inputSchema : undefined);
    if ('declarations' in found) return true;
    log(`left out tool ${JSON.stringify(isObject(tool) ? tool.name : tool)}: ${found.invalid}`);
    return false;
  });
  return tools.length === result.tools.length ? answer : { ...answer, result: { ...result, tools } };
}

/** The `Mcp-Param-*` headers of a call of tool `name` (from `tools`) with `args`. */
export function paramHeaders(
  tools: unknown[] | undefined,
  name: unknown,
  args: unknown,
): Record<string, string> {
  const tool = tools?.find((t) => isObject(t) && t.name === name);
  const found = headerDeclarations(isObject(tool) ? tool.inputSchema : undefined);
  if (!('declarations' in found)) return {};
  const headers: Record<string, string> = {};
  for (const { path, header } of found.declarations) {
    const value = path.reduce<unknown>((at, key) => (isObject(at) ? at[key] : undefined), args);
    // A null or absent argument has no header; neither has one that is not a primitive.
    const text =
      typeof value === 'string'
        ? headerValue(value)
        : typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))
          ? String(value)
          : undefined;
    if (text !== undefined) headers[`mcp-param-${header.toLowerCase()}`] = text;
  }
  return headers;
}
