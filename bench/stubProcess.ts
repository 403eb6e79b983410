/**
 * Runs the tests' OpenAI-compatible stub (test/fixtures/openaiStub.ts) in its own process, so its
 * work and memory are not counted against the client under test. The stub records every request
 * for test assertions; a benchmark sends hundreds of thousands, so the record is emptied each second.
 * Prints {"baseUrl": "..."} on stdout, exits on SIGTERM or when stdin closes.
 */
import { startOpenAiStub } from '../test/fixtures/openaiStub';

void startOpenAiStub().then((stub) => {
  const trim = setInterval(() => stub.requests.splice(0, stub.requests.length), 1000);
  process.stdout.write(`${JSON.stringify({ baseUrl: stub.baseUrl })}\n`);
  const stop = () => {
    clearInterval(trim);
    void stub.close().then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.stdin.on('end', stop);
  process.stdin.resume();
});
