// The k items of lowest key, in order, ties to the earlier item: a stable sort's first k, in one pass with no
// copy of the input. Keys are computed once per item, in input order, so keys drawn from a random stream draw
// exactly as a sort of every item would.

export function lowest<T>(items: Iterable<T>, k: number, key: (item: T) => number): T[] {
  const best: { item: T; key: number }[] = [];
  for (const item of items) {
    const kv = key(item);
    if (best.length === k && (k === 0 || kv >= best[k - 1]!.key)) continue;
    let i = best.length;
    while (i > 0 && best[i - 1]!.key > kv) i--;
    best.splice(i, 0, { item, key: kv });
    if (best.length > k) best.pop();
  }
  return best.map((b) => b.item);
}
