import { useLayoutEffect } from 'preact/hooks';

/**
 * Left/right step, Home/End jump; keys typed into a form control are left to it. A layout effect, so
 * the keys work as soon as the page shows (a plain effect waits for the next frame).
 */
export function useStepKeys(last: number, setStep: (f: (k: number) => number) => void): void {
  useLayoutEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.altKey || e.ctrlKey || e.metaKey || e.target instanceof HTMLSelectElement) return;
      const to: Record<string, (k: number) => number> = {
        ArrowLeft: (k) => Math.max(0, k - 1),
        ArrowRight: (k) => Math.min(last, k + 1),
        Home: () => 0,
        End: () => last,
      };
      const move = to[e.key];
      if (!move) return;
      e.preventDefault();
      setStep(move);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [last, setStep]);
}
