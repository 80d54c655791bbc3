/**
 * A deep copy of plain data (objects, arrays, primitives): how a step gets its private copy of an
 * element. Each level is copied whole first (object spread and slice keep V8's object shape, several
 * times faster than building the copy member by member), then its nested objects are copied in place.
 */
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
  const out = { ...(value as Record<string, unknown>) };
  for (const k in out) {
    const x = out[k];
    if (typeof x === 'object' && x !== null) out[k] = clonePlain(x);
  }
  return out as T;
}
