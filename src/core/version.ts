/**
 * This extension's version as MCP peers see it (clientInfo, the gateway's serverInfo, the headless
 * client). Kept equal to package.json's by test/unit/version.test.ts, so a release cannot forget it.
 */
export const PRODUCT_VERSION = '1.0.0';
