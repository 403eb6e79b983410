/**
 * zod compiles its object parsers with `new Function` when it may. The panel's CSP forbids eval, and
 * zod's probe for it (run when the first schema is built) would be reported as a CSP violation, so
 * the panel turns the compiler off first: main.ts imports this module before any other. The host
 * does not: zod keeps this setting on globalThis, which the extension host shares with other extensions.
 */
import * as z from 'zod/mini';

z.config({ jitless: true });
