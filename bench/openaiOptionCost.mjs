// What the request options the extension gives `openai` cost per request, apart from everything
// else: sequential streaming chat completions against the bench stub (its own process), one client
// per variant, rounds rotating through the variants, CPU (`process.cpuUsage`) and wall time per
// request after 200 warm-up requests. The variants: plain (the bare client's call), a signal (which
// the extension passes so a cancelled request stops its HTTP call), `stream_options.include_usage`
// (token counts for the card and the history; the endpoint sends one more chunk), the client's
// timeout and retries as the extension sets them, and all three.
//
//   npm run bench -- --only history   (or any section: builds out/bench/stubProcess.js)
//   node bench/openaiOptionCost.mjs [--count 3000] [--rounds 6]
//
// Not a section of `npm run bench`: a tool for reading the round trip's `writev`/`openai` rows.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'package.json'));
const { default: OpenAI } = require('openai');
const argv = process.argv.slice(2);
const option = (name, fallback) => {
  const i = argv.indexOf(name);
  return i === -1 ? fallback : Number(argv[i + 1]);
};
const count = Math.min(50_000, Math.max(100, option('--count', 3000)));
const rounds = Math.min(20, Math.max(2, option('--rounds', 6)));
const stubScript = path.join(root, 'out', 'bench', 'stubProcess.js');
if (!existsSync(stubScript)) throw new Error(`${stubScript} is missing: run any bench section first (npm run bench -- --only history)`);

const stub = spawn(process.execPath, [stubScript], { stdio: ['pipe', 'pipe', 'inherit'] });
const baseURL = await new Promise((resolve, reject) => {
  stub.stdout.once('data', (data) => resolve(JSON.parse(String(data)).baseUrl));
  stub.once('exit', (code) => reject(new Error(`the stub exited (${code})`)));
});

const withSignal = () => ({ signal: new AbortController().signal });
const usage = { stream_options: { include_usage: true } };
const asShipped = { timeout: 120_000, maxRetries: 2 };
const variants = {
  plain: { client: {}, body: {}, options: () => ({}) },
  signal: { client: {}, body: {}, options: withSignal },
  include_usage: { client: {}, body: usage, options: () => ({}) },
  'timeout+retries': { client: asShipped, body: {}, options: () => ({}) },
  all: { client: asShipped, body: usage, options: withSignal },
};

const cpu = Object.fromEntries(Object.keys(variants).map((name) => [name, []]));
for (let round = 0; round < rounds; round++) {
  for (const [name, variant] of Object.entries(variants)) {
    const client = new OpenAI({ apiKey: 'bench', baseURL, ...variant.client });
    const run = async (n) => {
      for (let i = 0; i < n; i++) {
        const body = { model: 'stub-instant', messages: [{ role: 'user', content: 'hi' }], max_tokens: 100, stream: true, ...variant.body };
        const stream = await client.chat.completions.create(body, variant.options());
        for await (const chunk of stream) void chunk;
      }
    };
    await run(200);
    const start = process.cpuUsage();
    await run(count);
    const used = process.cpuUsage(start);
    cpu[name].push((used.user + used.system) / count);
  }
}
stub.kill();

// The first round warms the JIT for every variant: it is left out of the medians.
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const plain = median(cpu.plain.slice(1));
console.log(`CPU per request, median of rounds 2-${rounds} (${count} requests each):`);
for (const [name, values] of Object.entries(cpu)) {
  const m = median(values.slice(1));
  console.log(`  ${name.padEnd(16)} ${m.toFixed(0).padStart(5)} µs  ${name === 'plain' ? '' : `${m - plain >= 0 ? '+' : ''}${(m - plain).toFixed(0)} µs`}`);
}
