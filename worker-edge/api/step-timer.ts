// A Server-Timing header for an answer whose cost is worth seeing from outside (the batch, against the link's
// limit in `npm run bench -- sync`). Workers advance the clock only at I/O, so on Cloudflare a step of pure CPU
// reads 0 ms; workerd under wrangler dev keeps a running clock.
export function stepTimer() {
  const steps: string[] = [];
  let last = performance.now();
  return {
    step(name: string) {
      const now = performance.now();
      steps.push(`${name};dur=${(now - last).toFixed(1)}`);
      last = now;
    },
    header: () => steps.join(', '),
  };
}
