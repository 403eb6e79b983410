/**
 * axe-core run inside the approval panel's own frame (the DevTools protocol evaluates past the
 * webview's CSP, so the product's policy stays as strict as it ships).
 */
import { readFileSync } from 'node:fs';
import type { Frame } from 'playwright-core';

export interface AxeViolation {
  readonly id: string;
  readonly impact: 'minor' | 'moderate' | 'serious' | 'critical' | null;
  readonly help: string;
  readonly targets: readonly string[];
}

const axeSource = (): string => readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/**
 * The frame's violations of every axe rule that runs by default (WCAG 2.0–2.2 A/AA and best
 * practices) plus label-content-name-mismatch (experimental in axe, the one a voice control user
 * meets first: a control's accessible name must contain its visible text).
 */
export async function axeViolations(frame: Frame): Promise<AxeViolation[]> {
  // A string, evaluated in the browser (the test program has no DOM types).
  const run = `(async () => {
    if (!window.axe) (0, eval)(${JSON.stringify(axeSource())});
    const result = await window.axe.run(document, { resultTypes: ['violations'], rules: { 'label-content-name-mismatch': { enabled: true } } });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.map(String).join(' ')) }));
  })()`;
  return (await frame.evaluate(run)) as AxeViolation[];
}
