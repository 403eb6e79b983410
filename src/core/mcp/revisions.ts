/**
 * The MCP revisions this client speaks and how one is chosen. 2026-07-28 ("modern") has no
 * handshake: every request carries its revision, the client's identity and its capabilities in
 * `_meta`. 2025-11-25 and earlier ("legacy") open with `initialize`.
 */

/** The modern revision this client speaks. */
export const MODERN_REVISION = '2026-07-28';
/** The legacy revision this client offers in `initialize` (the SDK's latest). */
export const LEGACY_REVISION = '2025-11-25';

/** What a server definition (or the connection options) may pin. `auto` discovers. */
export type { ProtocolPin } from '../config/serverDefinition';

/** The reserved `_meta` keys of the per-request envelope (SEP-2575). */
export const META_PROTOCOL_VERSION = 'io.modelcontextprotocol/protocolVersion';
export const META_CLIENT_INFO = 'io.modelcontextprotocol/clientInfo';
export const META_CLIENT_CAPABILITIES = 'io.modelcontextprotocol/clientCapabilities';
export const META_LOG_LEVEL = 'io.modelcontextprotocol/logLevel';
export const META_SERVER_INFO = 'io.modelcontextprotocol/serverInfo';

/** JSON-RPC error codes the 2026-07-28 revision defines; any of them marks a modern server. */
export const HEADER_MISMATCH = -32020;
export const MISSING_REQUIRED_CLIENT_CAPABILITY = -32021;
export const UNSUPPORTED_PROTOCOL_VERSION = -32022;
export const MODERN_ERROR_CODES: readonly number[] = [HEADER_MISMATCH, MISSING_REQUIRED_CLIENT_CAPABILITY, UNSUPPORTED_PROTOCOL_VERSION];

/** True for a revision that opens without `initialize` (2026-07-28 and later). */
export function isModernRevision(version: string | undefined): boolean {
  return typeof version === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(version) && version >= MODERN_REVISION;
}
