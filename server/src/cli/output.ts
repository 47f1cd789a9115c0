import { stripVTControlCharacters, styleText } from 'node:util';
import { showControls } from '@igepay/shared/browser';
import { localIso } from '../admin/local-time.js';

/** How the CLI prints: colours only on a terminal (and never with NO_COLOR), JSON on request. */
export interface Output {
  readonly json: boolean;
  print(text: string): void;
  /** Colours `text` when printing to a terminal. */
  paint(style: 'green' | 'red' | 'yellow' | 'dim' | 'bold', text: string): string;
}

/** The output of this process. */
export function output(json: boolean): Output {
  const colour = process.stdout.isTTY && !process.env.NO_COLOR && !json;
  return {
    json,
    print: (text) => process.stdout.write(`${text}\n`),
    paint: (style, text) => (colour ? styleText(style, text) : text),
  };
}

// East Asian wide characters (Chinese names) take two columns on a terminal.
const WIDE = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/g;

/** Aligns rows of cells under a header, two spaces apart. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  // Colour codes take no room; wide characters take two columns.
  const strip = (cell: string) => stripVTControlCharacters(cell).replace(WIDE, '..');
  const widths = header.map((title, column) =>
    Math.max(strip(title).length, ...rows.map((row) => strip(row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => cell + ' '.repeat(Math.max(0, (widths[column] ?? 0) - strip(cell).length)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

/** A time as this machine's clock reads it, with its offset: `2026-12-08 01:45:30+08:00`. */
export function time(ms: number | null): string {
  return ms === null ? '' : localIso(ms, -new Date(ms).getTimezoneOffset()).replace('T', ' ');
}

/** `--since`: an ISO date or time, or a span back from now (`30m`, `24h`, `7d`). */
export function parseSince(text: string, now: number): number {
  const span = /^(\d+)([mhd])$/.exec(text);
  if (span)
    return now - Number(span[1]) * { m: 60_000, h: 3_600_000, d: 86_400_000 }[span[2] as 'm' | 'h' | 'd'];
  const at = Date.parse(text);
  if (Number.isNaN(at))
    throw new Error(`--since must be a date (2026-11-26) or a span (30m, 24h, 7d), not "${text}"`);
  return at;
}

/**
 * A value received from outside (a notification's fields, a receiver's reply, a note) made safe
 * for a terminal: control characters shown as escapes (`showControls`, as the dashboard shows
 * them), so no value can move the cursor or recolour the screen, and long values cut.
 */
export function untrusted(text: string, max = 80): string {
  const safe = showControls(text);
  return safe.length > max ? `${safe.slice(0, max)}…` : safe;
}
