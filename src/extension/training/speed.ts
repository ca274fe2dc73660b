/** The progress notification's words for speed: no 'vscode' here, so Node tests read them. */

/**
 * The progress notification's text: iterations, or epochs with mini-batches, the cost, and the
 * examples per second (every iteration goes over the m training examples).
 */
export function progressMessage(done: number, total: number, cost: number | null, epochs: boolean, m: number, elapsedMs: number): string {
  const speed = m > 0 && elapsedMs > 0 ? `, ${examplesPerSecond((done * m) / (elapsedMs / 1000))}` : '';
  return `${epochs ? 'epoch' : 'iteration'} ${done} / ${total}, cost ${cost === null ? 'NaN' : cost.toPrecision(6)}${speed}`;
}

/** "12,345 examples/s", rounded to 3 significant digits above 1,000 so the number does not flicker. */
export function examplesPerSecond(rate: number): string {
  const shown = rate >= 1000 ? Number(rate.toPrecision(3)) : Math.round(rate);
  return `${shown.toLocaleString('en-US')} examples/s`;
}
