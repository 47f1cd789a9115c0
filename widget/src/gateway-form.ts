import type { CheckoutResponse } from '@igepay/shared';

/**
 * Posts the signed fields to igepay's pay page, as the gateway requires (docs/protocol.md §1.1):
 * a real form POST, UTF-8 whatever the page's own charset, into `target` (a popup's name, or
 * `_self` for redirect mode). The fields are the server's: nothing is computed here.
 */
export function submitGatewayForm(gateway: CheckoutResponse['gateway'], target: string): void {
  const form = document.createElement('form');
  form.method = 'post';
  form.action = gateway.action;
  form.acceptCharset = 'utf-8';
  form.target = target;
  form.hidden = true;
  for (const [name, value] of Object.entries(gateway.fields)) {
    if (value === undefined) continue;
    const input = document.createElement('input');
    input.type = 'hidden';
    input.name = name;
    input.value = value;
    form.append(input);
  }
  document.body.append(form);
  form.submit();
  form.remove();
}
