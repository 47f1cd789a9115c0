/**
 * The one error a command throws for something the user can fix (a missing database, a bad
 * option, a refused password): printed as one line, `igepay: <message>`, exit code 1.
 */
export class UsageError extends Error {}
