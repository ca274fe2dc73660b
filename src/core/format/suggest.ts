/**
 * "Did you mean ...?" suggestions for misspelt keys and values.
 *
 * A candidate is suggested when it is the same word written differently (case, `_` or `-`:
 * `learning_rate` -> `learningRate`, `ReLU` -> `relu`) or within a small edit distance
 * (Damerau-Levenshtein: `learningrate`, `lerningRate`, `sigmiod`).
 */

/** Longer words than this are not compared: a 2 MB key must not cost seconds. */
const MAX_COMPARED_LENGTH = 64;

function normalise(s: string): string {
  return s.toLowerCase().replace(/[-_\s]/g, '');
}

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions). */
export function editDistance(a: string, b: string): number {
  const n = a.length;
  const m = b.length;
  if (n === 0) return m;
  if (m === 0) return n;
  // Three rows suffice: the transposition step looks two rows back.
  let prev2 = new Array<number>(m + 1).fill(0);
  let prev = new Array<number>(m + 1);
  let cur = new Array<number>(m + 1);
  for (let j = 0; j <= m; j++) prev[j] = j;
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    for (let j = 1; j <= m; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let d = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d = Math.min(d, prev2[j - 2] + 1);
      }
      cur[j] = d;
    }
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[m];
}

/** The closest candidate, or undefined when none is close enough to be a likely typo. */
export function closest(
  word: string,
  candidates: readonly string[],
  aliases: Readonly<Record<string, string>> = {},
): string | undefined {
  if (word.length === 0 || word.length > MAX_COMPARED_LENGTH) return undefined;
  const w = normalise(word);
  for (const c of candidates) if (normalise(c) === w) return c;
  // The course's own names (num_iterations, lambd, keep_prob...) map to ours.
  for (const [alias, c] of Object.entries(aliases)) if (normalise(alias) === w) return c;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(w, normalise(c));
    // About one typo per four letters, at least one, none for two-letter words: "lr" must not
    // become "l2".
    const limit = w.length <= 2 ? 0 : Math.max(1, Math.floor(Math.min(w.length, c.length) / 4));
    if (d <= limit && d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

/** Quotes a user's string for a message, shortened so a 2 MB value gives a short message. */
export function quote(s: string, max = 40): string {
  const shown = s.length > max ? s.slice(0, max) + '…' : s;
  return `'${shown}'`;
}
