// @ts-check
/**
 * The words of the SQLite store's name index, `order_name_grams` (migration 12): a character
 * or a pair of characters, written as the hex of its UTF-8 (SQL's `hex()`), so FTS5's plain
 * ASCII tokenizer keeps it whole in any script. Plain JavaScript because the writer thread
 * loads it as it is. Migration 12 writes the same words in SQL for the orders it finds.
 */

/** @param {string} text */
const hex = (text) => Buffer.from(text, 'utf8').toString('hex').toUpperCase();

/**
 * What is indexed for an order's name: each of its characters and each pair of neighbours.
 * @param {string} name
 * @returns {string}
 */
export function nameWords(name) {
  const chars = [...name];
  return chars
    .map((char, i) => (i + 1 < chars.length ? `${hex(char)} ${hex(char + chars[i + 1])}` : hex(char)))
    .join(' ');
}

/**
 * What a search for `query` looks up: its pairs of neighbours, or its one character. A name
 * holding `query` holds every one of them (FTS5 ANDs the words).
 * @param {string} query
 * @returns {string}
 */
export function searchWords(query) {
  const chars = [...query];
  if (chars.length < 2) return hex(query);
  return chars
    .slice(1)
    .map((char, i) => hex(`${chars[i]}${char}`))
    .join(' ');
}
