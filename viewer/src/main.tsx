import { render, type ComponentChildren } from 'preact';
import { parseTraceFile } from '../../src/report/trace-file.js';
import { App } from './App.js';
import { readExploreStart, scenariosOf } from './explore-page.js';
import { Explorer } from './Explorer.js';
import './style.css';

function failure(title: string, error: string) {
  return (
    <main class="load-error">
      <h1>{title}</h1>
      <p role="alert">{error}</p>
    </main>
  );
}

/**
 * The page carries either a trace file (`<script type="application/json" id="pinlab-trace">`) or a
 * scenario file to explore (`id="pinlab-explore"`) as JSON data; it is untrusted, so it is checked
 * before anything is shown, and only ever rendered as text.
 */
function page(): ComponentChildren {
  const explore = document.getElementById('pinlab-explore');
  if (explore) {
    const data = readExploreStart(explore.textContent ?? '');
    if (typeof data === 'string') return failure('pinlab cannot explore this', data);
    const scenarios = scenariosOf(data);
    if (typeof scenarios === 'string') return failure('pinlab cannot explore this', scenarios);
    return <Explorer data={data} scenarios={scenarios} />;
  }
  const trace = document.getElementById('pinlab-trace');
  if (!trace) return failure('pinlab cannot show this trace', 'this page carries no trace');
  const parsed = parseTraceFile(trace.textContent ?? '');
  return parsed.ok ? <App file={parsed.file} /> : failure('pinlab cannot show this trace', parsed.error);
}

const root = document.getElementById('app');
if (root) render(page(), root);
