// A second `node --test` reporter beside `spec`: writes one line per failed test (file, name, the
// error's first line) so that `npm test` can repeat them under its summary. CI shows only the end of
// the output, where the spec reporter's own list of failures has scrolled out of sight.
import path from 'node:path';

const firstLine = (error) => {
  const cause = error?.cause ?? error;
  const text = String(cause?.message ?? cause ?? 'failed');
  return text.split('\n').find((line) => line.trim() !== '')?.trim().slice(0, 300) ?? 'failed';
};

export default async function* failuresReporter(source) {
  const suites = []; // names of the suites around the running test, by nesting level
  for await (const event of source) {
    if (event.type === 'test:start') suites[event.data.nesting] = event.data.name;
    if (event.type !== 'test:fail') continue;
    const { name, nesting, file, details } = event.data;
    // A suite fails when a test inside it does; that test has its own line.
    if (details?.type === 'suite' || details?.error?.failureType === 'subtestsFailed') continue;
    const where = file ? path.relative(process.cwd(), file) : '(no file)';
    yield `${where} › ${[...suites.slice(0, nesting), name].join(' › ')}: ${firstLine(details?.error)}\n`;
  }
}
