/**
 * The unit a number field counts in, read from its name, and how amounts in it are written: beside
 * the input, to screen readers, and in the bounds an error names.
 */

/**
 * `…Bytes` is entered with a unit to pick (bytes, KB, MB) and stored as bytes; `…Seconds`,
 * `…Minutes` and `…Ms` show the unit beside the input.
 */
export type FieldUnit = 'bytes' | 'seconds' | 'minutes' | 'ms';

export type TimeUnit = Exclude<FieldUnit, 'bytes'>;

/** The unit a number field's name says it counts in (`maxFileBytes`, `cooldownSeconds`, `debounceMs`). */
export function unitOf(name: string): FieldUnit | undefined {
  if (/(?:^b|B)ytes$/.test(name)) return 'bytes';
  if (/(?:^s|S)econds$/.test(name)) return 'seconds';
  if (/(?:^m|M)inutes$/.test(name)) return 'minutes';
  if (/^ms$|[a-z\d]Ms$/.test(name)) return 'ms';
  return undefined;
}

export interface TimeUnitNames {
  /** Beside the input: "s". */
  symbol: string;
  /** To screen readers, for the symbol: "seconds". */
  spoken: string;
  /** After an amount: "1 second", "30 seconds". */
  one: string;
  many: string;
}

export const TIME_UNITS: Readonly<Record<TimeUnit, TimeUnitNames>> = {
  seconds: { symbol: 's', spoken: 'seconds', one: 'second', many: 'seconds' },
  minutes: { symbol: 'min', spoken: 'minutes', one: 'minute', many: 'minutes' },
  ms: { symbol: 'ms', spoken: 'milliseconds', one: 'ms', many: 'ms' },
};

/** The names of a time unit; undefined for bytes (picked, not shown) and for no unit. */
export function timeUnitOf(unit: FieldUnit | undefined): TimeUnitNames | undefined {
  return unit && unit !== 'bytes' ? TIME_UNITS[unit] : undefined;
}

/** The units a `…Bytes` field can be entered in, smallest first. */
export const BYTE_UNITS: readonly { label: string; factor: number }[] = [
  { label: 'bytes', factor: 1 },
  { label: 'KB', factor: 1024 },
  { label: 'MB', factor: 1024 * 1024 },
];

/** The largest unit that divides a byte count exactly: 5242880 → MB (5), 25600 → KB (25), 1000 → bytes. */
export function byteUnitOf(bytes: number): number {
  if (!Number.isFinite(bytes) || bytes === 0) return 1;
  const fits = BYTE_UNITS.filter((u) => Number.isInteger(bytes / u.factor));
  return fits.at(-1)?.factor ?? 1;
}

/** A byte count in the unit people read: "64 KB", "5 MB", "300 bytes". */
export function bytesText(bytes: number): string {
  const factor = byteUnitOf(bytes);
  const unit = BYTE_UNITS.find((u) => u.factor === factor)!;
  return `${bytes / factor} ${unit.label}`;
}

/** An amount as the field counts it: "64 KB" for bytes, "30 seconds", or the plain number. */
export function amountText(amount: number, unit: FieldUnit | undefined): string {
  if (unit === 'bytes') return bytesText(amount);
  const names = timeUnitOf(unit);
  return names ? `${amount} ${amount === 1 ? names.one : names.many}` : String(amount);
}
