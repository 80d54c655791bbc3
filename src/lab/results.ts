import { MARK } from './init.js';

/** One program's run on one disk, as the results disk carried it. */
export interface Section {
  readonly id: string;
  readonly disk: string;
  readonly output: string;
  /** The exit status `timeout` reported (137: killed at its limit), or null when it never ended. */
  readonly status: number | null;
}

export interface VmResults {
  /** `uname -r` in the VM, or null when it never booted. */
  readonly uname: string | null;
  /** Marker lines other than begin/end (module, kmod, swap and hugetlb notes). */
  readonly notes: readonly string[];
  readonly sections: readonly Section[];
}

/** Split the results disk's text at its markers. */
export function parseResults(text: string): VmResults {
  let uname: string | null = null;
  const notes: string[] = [];
  const sections: Section[] = [];
  let open: { id: string; disk: string; lines: string[] } | null = null;
  for (const raw of text.replaceAll('\r', '').split('\n')) {
    if (!raw.startsWith(MARK)) {
      open?.lines.push(raw);
      continue;
    }
    const words = raw.slice(MARK.length).trim().split(/\s+/);
    const [what, a, b, c] = words;
    if (what === 'booted') uname = a ?? '';
    else if (what === 'begin' && a !== undefined && b !== undefined) open = { id: a, disk: b, lines: [] };
    else if (what === 'end' && open !== null && a === open.id) {
      sections.push({ id: a, disk: open.disk, output: open.lines.join('\n'), status: Number(c) });
      open = null;
    } else if (what !== 'done') notes.push(words.join(' '));
  }
  if (open !== null)
    sections.push({ id: open.id, disk: open.disk, output: open.lines.join('\n'), status: null });
  return { uname, notes, sections };
}

/**
 * The free hugetlb pages the VM's init left (`hugetlb N`: nr_hugepages of the default size, 2 MiB on
 * x86-64); every other size has none, and a selftest that asks for them gets none in the lab's VM.
 */
export function vmHugetlbPages(notes: readonly string[]): Record<number, number> {
  const n = notes.map((l) => /^hugetlb (\d+)$/.exec(l)?.[1]).find((x) => x !== undefined);
  return { 2048: n === undefined ? 0 : Number(n), 1048576: 0 };
}
