/** The errors the sampling pipeline answers servers with. */
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';

/** The code MCP uses for "the user (or the user's policy) refused": the spec's example uses -1. */
export const SAMPLING_REFUSED = -1;

export function invalidParams(message: string): McpError {
  return new McpError(ErrorCode.InvalidParams, message);
}

export function refused(message: string): McpError {
  return new McpError(SAMPLING_REFUSED, message);
}

export function internalError(message: string): McpError {
  return new McpError(ErrorCode.InternalError, message);
}

/** A readable message from anything thrown, or an AbortSignal's reason. */
export function describeError(error: unknown): string {
  if (error instanceof McpError) return error.message.replace(/^MCP error -?\d+: /, '');
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  return 'unknown error';
}
