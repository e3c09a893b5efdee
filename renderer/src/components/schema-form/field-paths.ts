/**
 * The field a problem path such as `config.limit`, `["odd name"]` or `perTool.github__x` (a key of
 * the field) points at: its first part that names a field.
 */
export function fieldOfPath(path: string, names: readonly string[]): string | undefined {
  const parts: string[] = [];
  for (const match of path.matchAll(/\["((?:[^"\\]|\\.)*)"\]|\[(\d+)\]|([^.[\]]+)/g)) {
    if (match[1] !== undefined) parts.push(JSON.parse(`"${match[1]}"`) as string);
    else parts.push(match[2] ?? match[3] ?? '');
  }
  return parts.find((part) => names.includes(part));
}
