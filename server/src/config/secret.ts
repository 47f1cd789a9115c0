import { inspect } from 'node:util';

const REDACTED = '[redacted]';

/**
 * Holds a secret (the merchant token) so that it cannot leak by accident: printing,
 * logging, JSON-encoding or string-interpolating a `Secret` gives `[redacted]`. Only
 * {@link Secret.reveal}, called where a signature is computed, gives the value.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The secret value itself; call it only to compute a signature. */
  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return REDACTED;
  }
}

/** Each secret's forms as they can appear in text: as it is, and escaped inside a JSON string. */
interface SecretPattern {
  readonly plain: string;
  readonly escaped: string;
  readonly pattern: RegExp;
}

const patterns = new Map<string, SecretPattern>();

/** Secrets shorter than this are redacted as whole words only. */
const WHOLE_WORD_BELOW = 16;

function patternOf(secret: string): SecretPattern {
  let known = patterns.get(secret);
  if (!known) {
    const escaped = JSON.stringify(secret).slice(1, -1);
    const forms = [...new Set([secret, escaped])].map((form) => form.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    // A short secret only as a whole word: a password `post` must not eat `postgres`, nor
    // `pay` every `payment`. A long one anywhere, glued to other text or not: nothing
    // unrelated is 16 characters of it.
    const alone = secret.length < WHOLE_WORD_BELOW ? ['(?<![A-Za-z0-9_])', '(?![A-Za-z0-9_])'] : ['', ''];
    known = {
      plain: secret,
      escaped,
      pattern: new RegExp(`${alone[0]}(?:${forms.join('|')})${alone[1]}`, 'g'),
    };
    if (patterns.size > 64) patterns.clear();
    patterns.set(secret, known);
  }
  return known;
}

/**
 * `text` with every value in `secrets` (empty ones skipped) replaced by `[redacted]`, as it is
 * and as JSON escapes it (a secret holding `"` or `\` is written `\"` or `\\` in a log line).
 * One shorter than 16 characters only where it stands as a whole word, never inside a longer
 * one; a longer one wherever it appears.
 */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let safe = text;
  for (const secret of secrets) {
    if (secret === '') continue;
    const { plain, escaped, pattern } = patternOf(secret);
    if (!safe.includes(plain) && !safe.includes(escaped)) continue;
    safe = safe.replace(pattern, REDACTED);
  }
  return safe;
}
