/**
 * "Did you mean ...?": the known names nearest to a mistyped command, option, key or topic.
 * Loaded only when a command line is wrong.
 * @module
 */

import { orList } from "../or_list.ts";

/**
 * The optimal-string-alignment distance between `a` and `b`: insertions, deletions,
 * substitutions and swaps of two neighbouring characters each cost 1 (`tagret` is 1 from
 * `target`, where plain Levenshtein says 2).
 */
export function editDistance(a: string, b: string): number {
  // d[i][j]: the distance between the first i characters of a and the first j of b.
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.length][b.length];
}

/**
 * The candidates nearest to `word`: those it begins (`conf` → `configure`) when there are any,
 * else those at the smallest distance, if that distance is small for the word's length (at
 * most a third of it, and at least 1): a word that resembles nothing gets no suggestion.
 */
export function nearest(word: string, candidates: Iterable<string>): string[] {
  const all = [...new Set(candidates)];
  const lower = word.toLowerCase();
  if (lower.length >= 2) {
    const prefixed = all.filter((c) => c.toLowerCase().startsWith(lower));
    if (prefixed.length > 0) return prefixed;
  }
  const limit = Math.max(1, Math.floor(word.length / 3));
  let best = limit;
  let found: string[] = [];
  for (const c of all) {
    const d = editDistance(lower, c.toLowerCase());
    if (d < best || (d === best && found.length === 0)) [best, found] = [d, [c]];
    else if (d === best) found.push(c);
  }
  return found;
}

/**
 * `, did you mean 'x'?` (or `'x' or 'y'?`) for `word` among `candidates`, `shown` as the user
 * would type them; empty when nothing is near.
 */
export function didYouMean(
  word: string,
  candidates: Iterable<string>,
  shown: (c: string) => string = (c) => c,
): string {
  const near = nearest(word, candidates).slice(0, 3).map((c) => `'${shown(c)}'`);
  if (near.length === 0) return "";
  return `, did you mean ${orList(near)}?`;
}
