import { parseScenarios } from '../../src/scenario/expand.js';
import { formatError } from '../../src/scenario/errors.js';
import type { ExploreStart } from '../../src/report/explore-start.js';
import type { Scenario } from '../../src/scenario/types.js';

/** Where the explorer stands, as the URL's fragment holds it. */
export interface Place {
  /** The replay token of the path (`scenario-id@kernel:steps`). */
  readonly token: string;
  readonly vs: string | null;
  /** The step shown (the path's length when absent). */
  readonly at: number | null;
}

const isText = (v: unknown): v is string => typeof v === 'string';

/** The page's data, checked (it is read as untrusted like a trace), or what is wrong with it. */
export function readExploreStart(text: string): ExploreStart | string {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return 'the page carries no readable scenario';
  }
  const d = v as Record<string, unknown> | null;
  if (typeof d !== 'object' || d === null) return 'the page carries no readable scenario';
  for (const k of ['file', 'source', 'scenario', 'kernel'])
    if (!isText(d[k])) return `the page's scenario data: ${k}: expected a string`;
  for (const k of ['vs', 'token'])
    if (d[k] !== null && !isText(d[k])) return `the page's scenario data: ${k}: expected a string or null`;
  return d as unknown as ExploreStart;
}

/** The file's scenarios (one per axis combination), or its errors as `file:line:col: message`. */
export function scenariosOf(d: ExploreStart): readonly Scenario[] | string {
  const r = parseScenarios(d.source, d.file);
  return r.ok ? r.scenarios.map((p) => p.scenario) : r.errors.map(formatError).join('\n');
}

/** `#replay=TOKEN&vs=K&at=N`, or null when the fragment names no token. */
export function readPlace(hash: string): Place | null {
  const p = new URLSearchParams(hash.replace(/^#/, ''));
  const token = p.get('replay');
  if (token === null || token === '') return null;
  const at = p.get('at');
  const n = at === null ? NaN : Number(at);
  return { token, vs: p.get('vs') || null, at: Number.isSafeInteger(n) && n >= 0 ? n : null };
}

export function placeHash(p: Place): string {
  const q = new URLSearchParams({ replay: p.token });
  if (p.vs !== null) q.set('vs', p.vs);
  if (p.at !== null) q.set('at', String(p.at));
  return `#${q.toString()}`;
}
