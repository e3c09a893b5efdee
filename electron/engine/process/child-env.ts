/**
 * The child's environment: the engine's own, with the spec's overrides on top. An override of
 * `undefined` removes the variable. On Windows names are case-insensitive, so an override replaces
 * every spelling of its name (otherwise `PATH` and `Path` would both reach Node, and only one wins).
 */
export function buildChildEnv(
  base: Readonly<Record<string, string | undefined>>,
  overrides: Readonly<Record<string, string | undefined>> | undefined,
  platform: NodeJS.Platform,
): Record<string, string> {
  // No prototype: a variable named "__proto__" must be just a variable.
  const env: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [key, value] of Object.entries(base)) {
    if (value !== undefined) env[key] = value;
  }
  for (const [key, value] of Object.entries(overrides ?? {})) {
    if (platform === 'win32') {
      const upper = key.toUpperCase();
      for (const existing of Object.keys(env)) {
        if (existing.toUpperCase() === upper) delete env[existing];
      }
    } else {
      delete env[key];
    }
    if (value !== undefined) env[key] = value;
  }
  return env;
}
