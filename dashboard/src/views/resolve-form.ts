import { html } from 'lit';
import type { Unapplied } from '../api.js';
import type { Strings } from '../i18n.js';

/**
 * An unapplied notification's resolution: the note it was resolved with, or the form that
 * resolves it (a note is required: the audit trail says what was done).
 */
export function resolveForm(s: Strings, u: Unapplied, resolve: (note: string) => Promise<void>) {
  if (u.resolved_at) return html`<p class="paid">${s.resolved(u.resolved_note ?? '')}</p>`;
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    await resolve((form.elements.namedItem('note') as HTMLInputElement).value);
  };
  return html`<form class="row" @submit=${submit}>
    <label>${s.note} <input name="note" required maxlength="500" size="30" /></label>
    <button>${s.resolve}</button>
  </form>`;
}
