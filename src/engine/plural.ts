// English counts, in one place: "1 expectation", "2 expectations", never "1 expectations".
// Messages that go through l10n pick a whole template with `plural` instead (other languages do
// not form plurals the English way).

/** `n` and the noun in the right number: count(1, 'byte') is "1 byte", count(3, 'byte') "3 bytes". */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}

/** `one` when n is 1, else `other`: the template or phrase for a count. */
export function plural<T>(n: number, one: T, other: T): T {
  return n === 1 ? one : other;
}
