/**
 * A deep copy of plain data (objects, arrays, primitives): how a step gets its private copy of an
 * element.
 *
 * Objects are copied by a function compiled for their member names, in order, which builds the copy
 * as one object literal: several times faster than copying member by member, which makes V8 grow the
 * copy's shape one member at a time. Compiled copiers are kept by first member name and tried in turn;
 * one applies when the object's members are its names in its order. A cache of pure functions: the
 * copies are the same either way.
 */

type Rec = Record<string, unknown>;
/** A compiled copier: the copy, or null when `v` does not have exactly its members in its order. */
type Copier = (v: Rec) => Rec | null;

/** At most this many shapes per first member name (dictionaries such as `regs` have many). */
const SHAPES_PER_NAME = 16;
const copiers = new Map<string, Copier[]>();

function compileCopier(keys: readonly string[]): Copier {
  const name = (k: string): string => JSON.stringify(k);
  const members = keys
    .map((k) => {
      const a = `v[${name(k)}]`;
      return `${name(k)}: typeof ${a} === 'object' && ${a} !== null ? clone(${a}) : ${a}`;
    })
    .join(',\n');
  const body = `const names = ${JSON.stringify(keys)};
  return function (v) {
    let i = 0;
    for (const k in v) if (k !== names[i++]) return null;
    if (i !== names.length) return null;
    return { ${members} };
  };`;
  // The source is built from member names quoted by JSON.stringify, never from values.
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const make = new Function('clone', body) as (clone: <T>(value: T) => T) => Copier;
  return make(clonePlain);
}

function copyMembers(v: Rec): Rec {
  const out: Rec = {};
  for (const k in v) {
    const x = clonePlain(v[k]);
    // Assigning "__proto__" would set the prototype instead.
    if (k === '__proto__')
      Object.defineProperty(out, k, { value: x, enumerable: true, writable: true, configurable: true });
    else out[k] = x;
  }
  return out;
}

function cloneRecord(v: Rec): Rec {
  let first: string | null = null;
  for (const k in v) {
    first = k;
    break;
  }
  if (first === null) return {};
  let shapes = copiers.get(first);
  if (shapes === undefined) {
    shapes = [];
    copiers.set(first, shapes);
  }
  for (const copy of shapes) {
    const out = copy(v);
    if (out !== null) return out;
  }
  const keys = Object.keys(v);
  // An object literal would read "__proto__" as the prototype, not a member.
  if (shapes.length >= SHAPES_PER_NAME || keys.includes('__proto__')) return copyMembers(v);
  const copy = compileCopier(keys);
  shapes.push(copy);
  return copy(v) ?? copyMembers(v);
}

export function clonePlain<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const out: unknown[] = value.slice();
    for (let i = 0; i < out.length; i++) {
      const x = out[i];
      if (typeof x === 'object' && x !== null) out[i] = clonePlain(x);
    }
    return out as T;
  }
  return cloneRecord(value as Rec) as T;
}
