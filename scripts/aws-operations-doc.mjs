// Rewrites the lists of AWS operations answered 501 in docs/api.md from the dispatcher (the built dist/) and the AWS
// SDK clients' own operation lists; test/api/aws/operations-doc.test.ts checks them. Run after adding an operation:
//   node scripts/build.mjs --quiet && node scripts/aws-operations-doc.mjs
// The answered operations are prose in docs/api.md (with their options); the test names any that is missing there.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as iotSdk from '@aws-sdk/client-iot';
import * as jobsDataSdk from '@aws-sdk/client-iot-jobs-data-plane';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const { controlPlaneOperations, dataPlaneOperations } = await import(path.join(root, 'dist/electron/api/aws/plugin.js'));

const sdkOperations = (sdk) => Object.keys(sdk).filter((key) => key.endsWith('Command') && key !== '$Command').map((key) => key.slice(0, -'Command'.length));
const unanswered = (sdk, handlers) => sdkOperations(sdk).filter((name) => !Object.hasOwn(handlers, name)).sort();
const names = (list) => list.map((name) => `\`${name}\``).join(', ');

/** Words of at most `width` characters a line, as the rest of docs/api.md is wrapped. */
function wrap(text, width = 118) {
  const lines = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  return [...lines, line].join('\n');
}

const file = path.join(root, 'docs/api.md');
let doc = readFileSync(file, 'utf8');
const replaceParagraph = (start, text) => {
  const at = doc.indexOf(start);
  if (at < 0) throw new Error(`docs/api.md has no paragraph starting "${start}"`);
  const end = doc.indexOf('\n\n', at);
  doc = `${doc.slice(0, at)}${wrap(text)}${doc.slice(end)}`;
};
const control = unanswered(iotSdk, controlPlaneOperations);
const data = unanswered(jobsDataSdk, dataPlaneOperations);
replaceParagraph(
  'Operations answered 501 on `/aws` (',
  `Operations answered 501 on \`/aws\` (${control.length} of the ${sdkOperations(iotSdk).length} that \`@aws-sdk/client-iot\` knows): ${names(control)}.`,
);
replaceParagraph('Operations answered 501 on `/aws-jobs-data`:', `Operations answered 501 on \`/aws-jobs-data\`: ${names(data)}.`);
writeFileSync(file, doc);
console.log(`docs/api.md: ${control.length} control-plane and ${data.length} data-plane operations answered 501`);
