// "Did you mean ...?": the closest candidate by edit distance, case-insensitive,
// with `_` and `-` treated alike (TIME_WAITING -> TIME-WAIT).

function normalize(word: string): string {
  return word.toLowerCase().replace(/_/g, '-');
}

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  let before = new Array<number>(cols).fill(0);
  let previous = Array.from({ length: cols }, (_, j) => j);
  for (let i = 1; i < rows; i++) {
    const current = new Array<number>(cols).fill(0);
    current[0] = i;
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, before[j - 2] + 1);
      current[j] = best;
    }
    before = previous;
    previous = current;
  }
  return previous[cols - 1];
}

/** The candidate closest to `word`, or undefined when none is close enough to be a likely typo. */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  const target = normalize(word);
  if (target.length === 0) return undefined;
  let best: string | undefined;
  let bestScore = Infinity;
  for (const candidate of candidates) {
    const normal = normalize(candidate);
    if (normal === target) return candidate;
    let score = editDistance(target, normal);
    // A word that starts like a candidate (TIME-WAITING, TIME-WAIT) is a likely slip.
    if (target.startsWith(normal) || normal.startsWith(target)) score = Math.min(score, 1.5);
    const limit = Math.max(1, Math.floor(Math.max(target.length, normal.length) * 0.34));
    if (score <= limit && score < bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  return best;
}
