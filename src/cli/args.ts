/** A small argument parser: flags with values, repeated flags, booleans and positionals. */
export interface Parsed {
  readonly positionals: string[];
  readonly values: Map<string, string[]>;
  readonly flags: Set<string>;
}

export type ArgsError = { readonly error: string };

/** `spec` names each option: 'value' (takes an argument, may repeat) or 'flag'. */
export function parseArgs(
  argv: readonly string[],
  spec: Readonly<Record<string, 'value' | 'flag'>>,
): Parsed | ArgsError {
  const out: Parsed = { positionals: [], values: new Map(), flags: new Set() };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    // A short option (`-k`) is none pinlab knows: refused, not read as a file name.
    if (/^-[^-]/.test(a))
      return { error: `unknown option '${a.slice(0, 40)}' (pinlab takes long options: --kernel, ...)` };
    if (!a.startsWith('--')) {
      out.positionals.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
    // Own properties only: `--toString` or `--constructor` is no option.
    const kind = Object.hasOwn(spec, name) ? spec[name] : undefined;
    if (kind === undefined)
      return {
        error: `unknown option '--${name}' (known: ${Object.keys(spec)
          .map((k) => `--${k}`)
          .join(' ')})`,
      };
    if (kind === 'flag') {
      if (eq >= 0) return { error: `option '--${name}' takes no value` };
      out.flags.add(name);
      continue;
    }
    const value = eq < 0 ? argv[++i] : a.slice(eq + 1);
    if (value === undefined) return { error: `option '--${name}' needs a value` };
    out.values.set(name, [...(out.values.get(name) ?? []), value]);
  }
  return out;
}

export function isArgsError<T>(p: T | ArgsError): p is ArgsError {
  return typeof p === 'object' && p !== null && 'error' in p;
}

/** A command that writes text or JSON: its `--format` (default text), or the error. */
export function textOrJson(p: Parsed): 'text' | 'json' | ArgsError {
  const format = p.values.get('format')?.at(-1) ?? 'text';
  if (format === 'text' || format === 'json') return format;
  return { error: `unknown format '${format.slice(0, 40)}' (known: text json)` };
}

/** A positive whole number, or an error message. */
export function positiveInt(name: string, v: string | undefined): number | string | undefined {
  if (v === undefined) return undefined;
  return /^[1-9]\d*$/.test(v) ? Number(v) : `--${name} takes a positive whole number, not '${v}'`;
}

/** `--max-memory`'s sizes: a whole number of bytes, or with K, M, G or T (powers of 1024). */
export function sizeArg(name: string, v: string | undefined): number | string | undefined {
  if (v === undefined) return undefined;
  const m = /^([1-9]\d{0,12})([KMGT]i?B?)?$/i.exec(v);
  if (m === null)
    return `--${name} takes a size in bytes, with K, M, G or T (as 512M or 4G), not '${v.slice(0, 40)}'`;
  const unit = 'BKMGT'.indexOf((m[2] ?? 'B')[0]?.toUpperCase() ?? 'B');
  return Number(m[1]) * 1024 ** unit;
}
