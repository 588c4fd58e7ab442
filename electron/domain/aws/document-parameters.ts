import { invalid } from '../errors.js';

const PLACEHOLDER = /\$\{aws:iot:parameter:([a-zA-Z0-9_-]+)\}/g;

/** Replaces `${aws:iot:parameter:<name>}` placeholders in a job document with documentParameters values. */
export function substituteParameters(document: string, parameters: Record<string, string>): string {
  return document.replace(PLACEHOLDER, (_placeholder, name: string) => {
    const value = parameters[name];
    if (value === undefined) throw invalid(`The job document uses parameter "${name}", which documentParameters does not give.`);
    return value;
  });
}
