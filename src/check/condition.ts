/**
 * A scenario's condition on the final state, as herd7 states them: `exists` (is there a run that ends
 * with the property true?) or `forall` (does every run?). Built-in scenarios phrase the bad outcome
 * with `exists`, so the verdict `never` means safe.
 */
export type Expr =
  /** A register an actor read into (`T1:r`): by actor index and register name. */
  | { readonly kind: 'reg'; readonly actor: number; readonly reg: string }
  /** What a process reads from a buffer at the end (`P:buf`), without faulting. */
  | { readonly kind: 'mem'; readonly process: number; readonly buf: string }
  /** What a file holds on disk at the end (`disk:f[0]`). */
  | { readonly kind: 'disk'; readonly file: number; readonly page: number }
  | { readonly kind: 'lit'; readonly value: string };

export type Prop =
  | { readonly kind: 'eq'; readonly left: Expr; readonly right: Expr }
  | { readonly kind: 'ne'; readonly left: Expr; readonly right: Expr }
  | { readonly kind: 'and'; readonly args: readonly Prop[] }
  | { readonly kind: 'or'; readonly args: readonly Prop[] }
  | { readonly kind: 'not'; readonly arg: Prop };

export interface Condition {
  /** The condition's name in reports (given in the scenario, or its text). */
  readonly name: string;
  readonly quantifier: 'exists' | 'forall';
  readonly prop: Prop;
}

/** The verdict words (herd7's): in how many of the final states does the property hold. */
export type Verdict = 'never' | 'sometimes' | 'always' | 'inconclusive';

/** Every expression a property compares, literals included. */
export function propExprs(p: Prop): Expr[] {
  switch (p.kind) {
    case 'eq':
    case 'ne':
      return [p.left, p.right];
    case 'and':
    case 'or':
      return p.args.flatMap(propExprs);
    case 'not':
      return propExprs(p.arg);
  }
}
