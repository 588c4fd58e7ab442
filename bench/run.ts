import path from 'node:path';
import { createFigureContext } from './figure-context.js';
import { readOptions } from './options.js';
import { loadAverage, machineLine, updateDocs } from './report.js';
import { reportBlock } from './run-report.js';
import { runScenarios } from './scenarios.js';

const options = readOptions();
const context = createFigureContext(options);
const machine = machineLine();
const loadBefore = loadAverage();
await runScenarios(context);
const block = reportBlock(context, machine, loadBefore, loadAverage());
console.log(`\n${block}\n`);
if (options.updateDocs) {
  await updateDocs(path.resolve('docs/performance.md'), block);
  console.log('bench: wrote the table into docs/performance.md');
}
process.exitCode = context.broken ? 1 : 0;
