// Reads the vitest and Playwright JSON reports and prints the one closing line CI reads: "N passed, N failed".
// A report that is missing (its runner crashed before writing it) counts as one failure, never as zero tests.
import { existsSync, readFileSync } from 'node:fs';

const [vitestPath, playwrightPath] = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;

function read(path, runner) {
  if (!path || !existsSync(path)) {
    console.error(`${runner}: no report at ${path}; counted as a failure`);
    failed += 1;
    return null;
  }
  return JSON.parse(readFileSync(path, 'utf8'));
}

const vitest = read(vitestPath, 'vitest');
if (vitest) {
  passed += vitest.numPassedTests ?? 0;
  failed += vitest.numFailedTests ?? 0;
  skipped += (vitest.numPendingTests ?? 0) + (vitest.numTodoTests ?? 0);
  // Files that failed to load have no tests to count; they still fail the run.
  const brokenFiles = (vitest.testResults ?? []).filter((f) => f.status === 'failed' && (f.assertionResults ?? []).length === 0);
  failed += brokenFiles.length;
  for (const f of brokenFiles) console.error(`vitest: ${f.name} failed to run: ${String(f.message ?? '').split('\n')[0]}`);
}
const playwright = read(playwrightPath, 'playwright');
if (playwright) {
  const stats = playwright.stats ?? {};
  passed += (stats.expected ?? 0) + (stats.flaky ?? 0);
  failed += stats.unexpected ?? 0;
  skipped += stats.skipped ?? 0;
  for (const error of playwright.errors ?? []) {
    console.error(`playwright: ${String(error.message ?? '').split('\n')[0]}`);
    failed += 1;
  }
}

console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
