import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

/** A path beside this file, whatever the working directory. */
const here = (p: string): string => decodeURIComponent(new URL(p, import.meta.url).pathname);

// One script and one stylesheet with fixed names: `pinlab view` inlines both into its page (by hash
// in the Content-Security-Policy), so the viewer is a library build with no HTML of its own.
export default defineConfig({
  root: here('.'),
  plugins: [preact({ devToolsEnabled: false, prefreshEnabled: false })],
  build: {
    outDir: here('../dist/viewer/'),
    emptyOutDir: true,
    target: 'es2022',
    lib: {
      entry: here('src/main.tsx'),
      formats: ['iife'],
      name: 'pinlabViewer',
      fileName: () => 'viewer.js',
      cssFileName: 'viewer',
    },
  },
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
});
