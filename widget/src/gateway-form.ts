import type { CheckoutResponse } from '@igepay/shared';

/**
 * Posts the signed fields to igepay's pay page, as the gateway requires (docs/protocol.md §1.1):
 * a real form POST, UTF-8 whatever the page's own charset. The form is built in `into`'s own
 * document and targets `target`: `_self` sends that window itself (this page in redirect mode,
 * or the payment window, from inside its blank document: no engine has to find it by name), a
 * name reaches a window of an earlier page that only its name still finds. The fields are the
 * server's: nothing is computed here. Throws when `into` is not this page's to write in.
 */
export function submitGatewayForm(
  gateway: CheckoutResponse['gateway'],
  into: Window = window,
  target = '_self',
): void {
  const document = into.document;
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
