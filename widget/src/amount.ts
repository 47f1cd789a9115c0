/**
 * What a buyer typed as an amount, in the form `parsePrice` reads: full-width digits and
 * punctuation from a Chinese IME made ASCII, spaces and a currency sign dropped, and a comma
 * read as thousands grouping (`1,288`, `1,288.50`) or else as a decimal point (`12,5`).
 */
export function normalizeAmount(text: string): string {
  const ascii = text
    .replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[\s\u3000¥\uffe5元]/g, '');
  return ascii.includes('.')
    ? ascii.replace(/,/g, '')
    : ascii.replace(/,(?=\d{3}(,|$))/g, '').replace(',', '.');
}
