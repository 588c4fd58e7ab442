import { invalid, notFound } from '../errors.js';

/** One documented parameter of an AWS-managed job template (DescribeManagedJobTemplate's DocumentParameter). */
interface ManagedParameter {
  key: string;
  description: string;
  regex: string;
  example: string;
  optional: boolean;
}

export interface ManagedTemplate {
  name: string;
  version: string;
  description: string;
  environments: string[];
  parameters: ManagedParameter[];
  document: string;
}

const RUN_AS_USER: ManagedParameter = {
  key: 'runAsUser',
  description: 'The user on the device that runs the handler; the AWS IoT Device Client\'s own user when empty.',
  regex: '[a-zA-Z0-9._-]*',
  example: 'user1',
  optional: true,
};
const PATH_TO_HANDLER: ManagedParameter = {
  key: 'pathToHandler',
  description: 'The folder of the job handler on the device; the AWS IoT Device Client\'s default handler folder when empty.',
  regex: '[^\\s]*',
  example: '/path/to/handler',
  optional: true,
};
const list = (what: string, example: string): ManagedParameter => ({
  key: what,
  description: `A space-separated list of one or more ${what} names.`,
  regex: '[a-zA-Z0-9._@+: -]+',
  example,
  optional: false,
});

/** A job document in the AWS IoT Device Client's runHandler format, with the handler's arguments as parameters. */
function handlerDocument(name: string, handler: string, args: string[]): string {
  const action = {
    name,
    type: 'runHandler',
    input: { handler, args: args.map((arg) => `\${aws:iot:parameter:${arg}}`), path: '${aws:iot:parameter:pathToHandler}' },
    runAsUser: '${aws:iot:parameter:runAsUser}',
  };
  return JSON.stringify({ version: '1.0', steps: [{ action }] }, null, 2);
}

function template(name: string, description: string, handler: string, parameters: ManagedParameter[]): ManagedTemplate {
  const action = name.replace(/^AWS-/, '');
  return {
    name,
    version: '1.0',
    description,
    environments: ['LINUX'],
    parameters: [...parameters, RUN_AS_USER, PATH_TO_HANDLER],
    document: handlerDocument(action, handler, parameters.map((parameter) => parameter.key)),
  };
}

/** The AWS-managed templates of the AWS IoT Developer Guide ("Managed template remote actions and job documents"). */
export const MANAGED_TEMPLATES: readonly ManagedTemplate[] = [
  template('AWS-Download-File', 'A managed job template for downloading a file.', 'download-file.sh', [
    { key: 'downloadUrl', description: 'The URL of the file to download: an internet resource, or a public or presigned Amazon S3 URL.', regex: '[^\\s]+', example: 'https://example.com/firmware.bin', optional: false },
    { key: 'filePath', description: 'The path on the device where the downloaded file is written.', regex: '[^\\s]+', example: '/tmp/firmware.bin', optional: false },
  ]),
  template('AWS-Install-Application', 'A managed job template for installing one or more applications.', 'install-packages.sh', [list('packages', 'package1 package2')]),
  template('AWS-Reboot', 'A managed job template for rebooting the device.', 'reboot.sh', []),
  template('AWS-Remove-Application', 'A managed job template for uninstalling one or more applications.', 'remove-packages.sh', [list('packages', 'package1 package2')]),
  template('AWS-Restart-Application', 'A managed job template for restarting one or more system services.', 'restart-services.sh', [list('services', 'service1 service2')]),
  template('AWS-Start-Application', 'A managed job template for starting one or more system services.', 'start-services.sh', [list('services', 'service1 service2')]),
  template('AWS-Stop-Application', 'A managed job template for stopping one or more system services.', 'stop-services.sh', [list('services', 'service1 service2')]),
  template('AWS-Run-Command', 'A managed job template for running a command.', 'run-command.sh', [
    { key: 'command', description: 'A command and its arguments, separated by commas.', regex: '.+', example: 'ls,-l,/tmp', optional: false },
  ]),
];

/** A managed template by name, in its one version (`templateVersion`, when given, must name it). */
export function managedTemplate(name: string, version?: string): ManagedTemplate {
  const found = MANAGED_TEMPLATES.find((candidate) => candidate.name === name && (version === undefined || candidate.version === version));
  if (!found) throw notFound('Managed job template', version === undefined ? name : `${name}:${version}`);
  return found;
}

/**
 * The documentParameters a job from a managed template must give: every required key, each matching its regex
 * as a whole, no key the template does not document. Optional ones left out become empty.
 */
export function checkManagedParameters(template: ManagedTemplate, given: Record<string, string> = {}): Record<string, string> {
  const known = new Map(template.parameters.map((parameter) => [parameter.key, parameter]));
  const unknown = Object.keys(given).find((key) => !known.has(key));
  if (unknown !== undefined) throw invalid(`Managed template ${template.name} has no document parameter "${unknown}"; it takes ${[...known.keys()].join(', ')}.`);
  const values: Record<string, string> = {};
  for (const parameter of template.parameters) {
    const value = given[parameter.key];
    if (value === undefined) {
      if (!parameter.optional) throw invalid(`Managed template ${template.name} requires the document parameter "${parameter.key}" (${parameter.description}).`);
      values[parameter.key] = '';
    } else if (!new RegExp(`^(?:${parameter.regex})$`).test(value)) {
      throw invalid(`The document parameter "${parameter.key}" of ${template.name} must match ${parameter.regex}; "${value}" does not.`);
    } else {
      values[parameter.key] = value;
    }
  }
  return values;
}

/** `arn:aws:iot:<region>::jobtemplate/<name>:<version>`: managed templates belong to no account. */
export const managedTemplateArn = (region: string, template: ManagedTemplate) => `arn:aws:iot:${region}::jobtemplate/${template.name}:${template.version}`;

const MANAGED_ARN = /^arn:aws[a-z-]*:iot:[a-z0-9-]+::jobtemplate\/(AWS-[A-Za-z-]+)(?::(\d+\.\d+))?$/;

/** The managed template an ARN names, or undefined for any other ARN. */
export function managedTemplateOfArn(arn: string): ManagedTemplate | undefined {
  const match = MANAGED_ARN.exec(arn);
  return match ? managedTemplate(match[1]!, match[2]) : undefined;
}
