import { render } from 'preact';
import { parseTraceFile, type TraceFileParse } from '../../src/report/trace-file.js';
import { App } from './App.js';
import './style.css';

/**
 * The page carries the trace file as JSON data (`<script type="application/json" id="pinlab-trace">`);
 * it is untrusted, so it is checked before anything is shown, and only ever rendered as text.
 */
function load(): TraceFileParse {
  const data = document.getElementById('pinlab-trace');
  if (!data) return { ok: false, error: 'this page carries no trace' };
  return parseTraceFile(data.textContent ?? '');
}

const root = document.getElementById('app');
if (root) {
  const parsed = load();
  render(
    parsed.ok ? (
      <App file={parsed.file} />
    ) : (
      <main class="load-error">
        <h1>pinlab cannot show this trace</h1>
        <p role="alert">{parsed.error}</p>
      </main>
    ),
    root,
  );
}
