/**
 * `@igepay/shared/webhook`: the signature on the events the signing server sends to the
 * merchant's app, as `@igepay/webhook` checks it (the package your app installs: no
 * dependencies, ESM and CommonJS, WebCrypto for edge runtimes). Here for the server, which
 * signs with it.
 */
export * from '@igepay/webhook';
