import { createHash } from 'node:crypto';
import type { ExploreStart } from './explore-start.js';
import type { TraceFile } from './trace-file.js';

/** The built viewer: one script and one stylesheet, inlined into every page. */
export interface ViewerAssets {
  readonly script: string;
  readonly style: string;
}

const cspHash = (text: string): string =>
  `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/**
 * The page's Content-Security-Policy: nothing may load or run but the viewer's own inline script and
 * stylesheet, each allowed by its hash (no 'unsafe-inline', no eval, no network).
 */
export function viewerCsp(assets: ViewerAssets): string {
  return [
    "default-src 'none'",
    `script-src ${cspHash(assets.script)}`,
    `style-src ${cspHash(assets.style)}`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/**
 * JSON to sit inside a `<script type="application/json">` element: `<`, `>` and `&` (and the two
 * line separators JavaScript once rejected) become \u escapes, so no string of the trace can close
 * the element or be read as markup.
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * The viewer page: self-contained (it opens from disk with no network), the trace embedded as data the
 * script reads and renders as text only.
 */
export function viewerPage(file: TraceFile, assets: ViewerAssets): string {
  return page('pinlab-trace', 'pinlab trace', file, assets);
}

/**
 * The explorer page: the same viewer, given a scenario file, which it parses and runs with the model
 * bundled in its script (no server call: it works opened from disk too).
 */
export function explorerPage(start: ExploreStart, assets: ViewerAssets): string {
  return page('pinlab-explore', 'pinlab explore', start, assets);
}

function page(dataId: string, title: string, data: unknown, assets: ViewerAssets): string {
  // The hashes cover the exact element text; a build whose output could close its element is broken.
  if (/<\/script/i.test(assets.script) || /<\/style/i.test(assets.style))
    throw new Error('viewerPage: the built viewer contains a closing tag; rebuild it');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${viewerCsp(assets)}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${assets.style}</style>
</head>
<body>
<div id="app"></div>
<script type="application/json" id="${dataId}">${scriptJson(data)}</script>
<script>${assets.script}</script>
</body>
</html>
`;
}
