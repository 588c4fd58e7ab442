import type * as Iot from '@aws-sdk/client-iot';
import type { JobTemplateRecord } from '../../../store/records.js';
import { arnOf, parseArn, tagsOf } from '../arns.js';
import { operation, type OperationHandlers, type Validated } from '../operation.js';
import { pageOf, pageRequest } from '../paging.js';

const SETTING_MEMBERS = [
  'presignedUrlConfig',
  'jobExecutionsRolloutConfig',
  'abortConfig',
  'timeoutConfig',
  'jobExecutionsRetryConfig',
  'maintenanceWindows',
  'destinationPackageVersions',
] as const;

function settingsOf(source: Partial<Record<(typeof SETTING_MEMBERS)[number], unknown>>): Record<string, unknown> {
  return Object.fromEntries(SETTING_MEMBERS.filter((name) => source[name] !== undefined).map((name) => [name, source[name]]));
}

export const jobTemplateOperations: OperationHandlers = {
  CreateJobTemplate: operation<Validated<Iot.CreateJobTemplateRequest, 'jobTemplateId' | 'description'>, Iot.CreateJobTemplateResponse>(
    async (input, { services, region }) => {
      // A template made from a job (jobArn) starts from that job's document and configuration.
      const job = input.jobArn === undefined ? undefined : services.aws.jobs.get(parseArn(input.jobArn, region, ['job']).name).record;
      const document = input.document ?? (input.documentSource === undefined ? job?.document : undefined);
      const template = await services.aws.jobTemplates.create(input.jobTemplateId, {
        description: input.description,
        ...(document !== undefined && { document }),
        ...(input.documentSource !== undefined && { documentSource: input.documentSource }),
        settings: { ...settingsOf(job?.settings ?? {}), ...settingsOf(input) },
        ...(input.tags !== undefined && { tags: tagsOf(input.tags) }),
      });
      return { jobTemplateArn: arnOf(region, 'jobtemplate', template.id), jobTemplateId: template.id };
    },
  ),

  DescribeJobTemplate: operation<Validated<Iot.DescribeJobTemplateRequest, 'jobTemplateId'>, Iot.DescribeJobTemplateResponse>(
    async (input, { services, region }) => {
      const template = services.aws.jobTemplates.get(input.jobTemplateId);
      return {
        jobTemplateArn: arnOf(region, 'jobtemplate', template.id),
        jobTemplateId: template.id,
        description: template.description,
        document: template.document,
        documentSource: template.documentSource,
        createdAt: new Date(template.createdAt),
        ...(template.settings as Partial<Iot.DescribeJobTemplateResponse>),
      };
    },
  ),

  ListJobTemplates: operation<Iot.ListJobTemplatesRequest, Iot.ListJobTemplatesResponse>(async (input, { services, region }) => {
    const { items, nextToken } = pageOf(services.aws.jobTemplates.list(), pageRequest(input));
    return {
      jobTemplates: items.map((template: JobTemplateRecord) => ({
        jobTemplateArn: arnOf(region, 'jobtemplate', template.id),
        jobTemplateId: template.id,
        description: template.description,
        createdAt: new Date(template.createdAt),
      })),
      nextToken,
    };
  }),

  DeleteJobTemplate: operation<Validated<Iot.DeleteJobTemplateRequest, 'jobTemplateId'>, void>(async (input, { services }) => {
    await services.aws.jobTemplates.remove(input.jobTemplateId);
  }),
};
