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

/** `text` with every value in `secrets` (empty ones skipped) replaced by `[redacted]`. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let safe = text;
  for (const secret of secrets) {
    if (secret !== '' && safe.includes(secret)) safe = safe.replaceAll(secret, REDACTED);
  }
  return safe;
}
