/** The approval panel's HTML shell: a strict CSP, one nonce'd script, one stylesheet. Pure for tests. */

export interface PanelHtmlParts {
  /** `webview.cspSource`. */
  readonly cspSource: string;
  /** A fresh random nonce (base64) for this document. */
  readonly nonce: string;
  readonly scriptUri: string;
  readonly styleUri: string;
}

const escapeAttr = (s: string): string => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    // The nonce lets the long-text editor (CodeMirror) add its own style elements.
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `img-src data: ${cspSource}`,
    'media-src data:',
    `font-src ${cspSource}`,
  ].join('; ');
}

export function renderPanelHtml(parts: PanelHtmlParts): string {
  const csp = escapeAttr(contentSecurityPolicy(parts.cspSource, parts.nonce));
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeAttr(parts.styleUri)}">
<title>MCP Sampling Requests</title>
</head>
<body>
<main id="app" aria-label="MCP sampling requests"><p class="empty">Loading…</p></main>
<script nonce="${escapeAttr(parts.nonce)}" src="${escapeAttr(parts.scriptUri)}"></script>
</body>
</html>`;
}
