/**
 * Every `mcpSampling.*` setting the extension reads, with whether a change needs the
 * servers reconnected. A unit test keeps this list equal to package.json's contributes.
 */
export const SETTINGS_SECTION = 'mcpSampling';

export const SETTING_KEYS = {
  servers: { reconnects: true },
  readMcpJson: { reconnects: true },
  approval: { reconnects: false },
  paused: { reconnects: false },
  reviewResponses: { reconnects: false },
  defaultProvider: { reconnects: false },
  providers: { reconnects: false },
  serverSampling: { reconnects: false },
  'limits.maxRequestBytes': { reconnects: false },
  'limits.maxMessages': { reconnects: false },
  'limits.maxTokensCap': { reconnects: false },
  'limits.requestsPerMinute': { reconnects: false },
  'limits.maxPendingPerServer': { reconnects: false },
  'history.maxEntries': { reconnects: false },
  toolCallTimeoutSeconds: { reconnects: false },
  'gateway.enabled': { reconnects: false },
  'gateway.port': { reconnects: false },
  'gateway.exposeMcpJsonServers': { reconnects: false },
  // Read per request; a server with "llmEndpoint": true gets its environment when it next starts.
  'llmEndpoint.enabled': { reconnects: false },
} as const satisfies Record<string, { reconnects: boolean }>;

export type SettingKey = keyof typeof SETTING_KEYS;

export const fullSettingName = (key: SettingKey): string => `${SETTINGS_SECTION}.${key}`;
