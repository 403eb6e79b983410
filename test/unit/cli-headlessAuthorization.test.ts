/**
 * The CLI's headless sign-in against real loopback servers: it follows the authorization server's
 * own redirects (bounded) back to the redirect URL, and refuses to follow one to another origin.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { createHeadlessAuthorizationUi } from '../../src/cli/headlessAuthorization';

function serve(handler: http.RequestListener): Promise<{ origin: string; close(): Promise<void> }> {
  const server = http.createServer(handler);
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({ origin: `http://127.0.0.1:${port}`, close: () => new Promise((done) => server.close(() => done())) });
    }),
  );
}

const redirectUrl = 'http://127.0.0.1:33418/oauth/callback';

test('follows the authorization server\'s own redirects back to the redirect URL', async () => {
  const as = await serve((req, res) => {
    if (req.url?.startsWith('/authorize')) res.writeHead(302, { location: '/consent?x=1' }).end();
    else res.writeHead(302, { location: `${redirectUrl}?code=abc&state=s1` }).end();
  });
  try {
    const result = await createHeadlessAuthorizationUi(redirectUrl).authorize(new URL(`${as.origin}/authorize`), new AbortController().signal);
    assert.deepEqual(result, { code: 'abc', state: 's1' });
  } finally {
    await as.close();
  }
});

test('a redirect to another origin is refused, and that origin is never fetched', async () => {
  let elsewhereHit = false;
  const elsewhere = await serve((_req, res) => {
    elsewhereHit = true;
    res.writeHead(302, { location: `${redirectUrl}?code=stolen` }).end();
  });
  const as = await serve((_req, res) => res.writeHead(302, { location: `${elsewhere.origin}/login` }).end());
  try {
    await assert.rejects(createHeadlessAuthorizationUi(redirectUrl).authorize(new URL(`${as.origin}/authorize`), new AbortController().signal), /redirected to another origin/);
    assert.equal(elsewhereHit, false);
  } finally {
    await as.close();
    await elsewhere.close();
  }
});
