import {
  CreateJobCommand,
  DescribeJobCommand,
  DescribeManagedJobTemplateCommand,
  GetJobDocumentCommand,
  ListManagedJobTemplatesCommand,
  type IoTClient,
} from '@aws-sdk/client-iot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHost, type TestHost } from '../../helpers/host.js';
import { createFleet, iotClient, REGION, rejectionOf, thingArn } from './aws-client.js';

const DOWNLOAD_FILE_ARN = `arn:aws:iot:${REGION}::jobtemplate/AWS-Download-File:1.0`;

describe('AWS-managed job templates', () => {
  let host: TestHost;
  let iot: IoTClient;

  beforeAll(async () => {
    host = await startTestHost();
    iot = iotClient(host);
    await createFleet(host, 'managed', 1, 'managed-type');
  });
  afterAll(() => host.stop());

  it('lists the eight managed templates and describes one with its documented parameters', async () => {
    const listed = await iot.send(new ListManagedJobTemplatesCommand({}));
    expect(listed.managedJobTemplates?.map((template) => template.templateName).sort()).toEqual([
      'AWS-Download-File',
      'AWS-Install-Application',
      'AWS-Reboot',
      'AWS-Remove-Application',
      'AWS-Restart-Application',
      'AWS-Run-Command',
      'AWS-Start-Application',
      'AWS-Stop-Application',
    ]);
    expect(listed.managedJobTemplates?.find((template) => template.templateName === 'AWS-Reboot')).toMatchObject({
      templateArn: `arn:aws:iot:${REGION}::jobtemplate/AWS-Reboot:1.0`,
      templateVersion: '1.0',
      environments: ['LINUX'],
    });
    expect((await iot.send(new ListManagedJobTemplatesCommand({ templateName: 'AWS-Run-Command' }))).managedJobTemplates).toHaveLength(1);

    const described = await iot.send(new DescribeManagedJobTemplateCommand({ templateName: 'AWS-Download-File' }));
    expect(described.templateArn).toBe(DOWNLOAD_FILE_ARN);
    const parameters = Object.fromEntries(described.documentParameters!.map((parameter) => [parameter.key, parameter.optional]));
    expect(parameters).toEqual({ downloadUrl: false, filePath: false, runAsUser: true, pathToHandler: true });
    expect(described.document).toContain('${aws:iot:parameter:downloadUrl}');
    expect(await rejectionOf(iot.send(new DescribeManagedJobTemplateCommand({ templateName: 'AWS-Nothing' })))).toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('creates a job from a managed template with its parameters substituted, the original kept before substitution', async () => {
    await iot.send(
      new CreateJobCommand({
        jobId: 'download-config',
        targets: [thingArn('managed-1')],
        jobTemplateArn: DOWNLOAD_FILE_ARN,
        documentParameters: { downloadUrl: 'https://example.com/config.json', filePath: '/etc/app/config.json' },
      }),
    );
    const document = JSON.parse((await iot.send(new GetJobDocumentCommand({ jobId: 'download-config' }))).document!) as {
      steps: { action: { input: { handler: string; args: string[] } } }[];
    };
    expect(document.steps[0]!.action.input).toMatchObject({ handler: 'download-file.sh', args: ['https://example.com/config.json', '/etc/app/config.json'] });
    expect((await iot.send(new GetJobDocumentCommand({ jobId: 'download-config', beforeSubstitution: true }))).document).toContain('${aws:iot:parameter:filePath}');
    expect((await iot.send(new DescribeJobCommand({ jobId: 'download-config' }))).job).toMatchObject({
      jobTemplateArn: DOWNLOAD_FILE_ARN,
      documentParameters: { downloadUrl: 'https://example.com/config.json', filePath: '/etc/app/config.json' },
    });
  });

  it('refuses a missing required parameter, an unknown one and a value that does not match its pattern', async () => {
    const create = (jobId: string, documentParameters: Record<string, string>) =>
      rejectionOf(iot.send(new CreateJobCommand({ jobId, targets: [thingArn('managed-1')], jobTemplateArn: DOWNLOAD_FILE_ARN, documentParameters })));
    const missing = await create('no-path', { downloadUrl: 'https://example.com/a.bin' });
    expect(missing).toMatchObject({ name: 'InvalidRequestException', $metadata: { httpStatusCode: 400 } });
    expect(missing.message).toContain('filePath');
    expect(await create('unknown', { downloadUrl: 'https://example.com/a.bin', filePath: '/tmp/a', colour: 'red' })).toMatchObject({ name: 'InvalidRequestException' });
    expect(await create('spaces', { downloadUrl: 'not a url with spaces', filePath: '/tmp/a' })).toMatchObject({ name: 'InvalidRequestException' });
    expect(await rejectionOf(iot.send(new DescribeJobCommand({ jobId: 'no-path' })))).toMatchObject({ name: 'ResourceNotFoundException' });
  });
});
