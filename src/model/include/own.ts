/**
 * What a World holds is readonly all the way down; a step writes only into its own copy of an element,
 * which a write accessor (ownFolio, ownBio, ...) gives. `Own<T, M>` is that copy's type: the members
 * in M writable (an array member as a writable array, the copier having copied it), and a brand no
 * World element has, so a function that writes takes an `Own` and a World's element cannot be
 * passed to it (TypeScript lets a readonly member be assigned to a writable one; it cannot forge the
 * brand).
 */
declare const OWN: unique symbol;

type Writable<T> = T extends readonly (infer E)[] ? E[] : T;

export type Own<T, M extends keyof T> = Omit<T, M> & { -readonly [K in M]: Writable<T[K]> } & {
  readonly [OWN]: true;
};

/** An element a step has just made, by copying (cow.ts) or constructing it, is the step's own. */
export function fresh<T extends object, O extends T>(el: T): O {
  return el as O;
}
