/**
 * `@igepay/shared`: the igepay protocol, written once. Browser-safe: no token and no
 * signing here (those live in `@igepay/shared/signing`, for servers only).
 */

export * from './admin.js';
export * from './api.js';
export * from './channel.js';
export * from './controls.js';
export * from './errors.js';
export * from './events.js';
export * from './fields.js';
export * from './gateway.js';
export * from './money.js';
export * from './paths.js';
export * from './status.js';
export * from './text.js';
