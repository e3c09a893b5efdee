/**
 * Where in the page a secret value (or its first 8 characters) shows up: text, markup (attributes
 * included) or a field's current value. Empty when nowhere; the hint's last 4 characters are fine.
 */
export function secretLeaks(root: Element, value: string): string[] {
  const needles = [value, value.slice(0, 8)];
  const found: string[] = [];
  const has = (text: string | null | undefined) => needles.some((n) => text?.includes(n));
  if (has(root.textContent)) found.push('text');
  if (has(root.outerHTML)) found.push('markup');
  for (const field of root.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('input, textarea'))
    if (has(field.value)) found.push(`value of ${field.outerHTML}`);
  return found;
}
