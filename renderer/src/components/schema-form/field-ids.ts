/** A unique element id per field: the prefix and the name, made safe for an id. */
export function fieldIds(prefix: string, names: readonly string[]): Record<string, string> {
  const ids: Record<string, string> = {};
  const used = new Set<string>();
  names.forEach((name, index) => {
    let id = `${prefix}-${name.replace(/[^\w-]/g, '_')}`;
    if (used.has(id)) id = `${id}-${index}`;
    used.add(id);
    ids[name] = id;
  });
  return ids;
}
