import { useEffect, useState } from 'react';

/** Date.now(), refreshed every `intervalMs` while `active` (for live elapsed/ETA clocks). */
export function useNow(intervalMs: number, active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const tick = (): void => setNow(Date.now());
    const first = setTimeout(tick, 0); // catch up at once after a pause, then every intervalMs
    const t = setInterval(tick, intervalMs);
    return () => {
      clearTimeout(first);
      clearInterval(t);
    };
  }, [intervalMs, active]);
  return now;
}
