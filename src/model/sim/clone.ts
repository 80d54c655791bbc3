/** A deep copy of plain data (objects, arrays, primitives): how a step gets its draft World. */
export function clonePlain<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (let i = 0; i < value.length; i++) out.push(clonePlain(value[i] as unknown));
    return out as T;
  }
  const src = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k in src) out[k] = clonePlain(src[k]);
  return out as T;
}
