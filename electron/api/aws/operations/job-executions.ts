import type * as Iot from '@aws-sdk/client-iot';
import type { ExecutionView } from '../../../domain/aws/aws-job-executions.js';
import { arnOf } from '../arns.js';
import { AwsError } from '../errors.js';
import { operation, type OperationHandlers, type Validated } from '../operation.js';
import { nextTokenAfter, pageOf, pageRequest } from '../paging.js';

/** Every thing has one execution per job, so its number is always 1. */
const EXECUTION_NUMBER = 1;

const summaryOf = (execution: ExecutionView): Iot.JobExecutionSummary => ({
  status: execution.status,
  queuedAt: new Date(execution.queuedAt),
  startedAt: execution.startedAt === undefined ? undefined : new Date(execution.startedAt),
  lastUpdatedAt: new Date(execution.lastUpdatedAt),
  executionNumber: EXECUTION_NUMBER,
  retryAttempt: execution.retryAttempt,
});

export const jobExecutionOperations: OperationHandlers = {
  ListJobExecutionsForJob: operation<Validated<Iot.ListJobExecutionsForJobRequest, 'jobId'>, Iot.ListJobExecutionsForJobResponse>(
    async (input, { services, region }) => {
      const page = pageRequest(input);
      const { executions, more } = await services.aws.executions.list(input.jobId, page.offset, page.limit, input.status);
      return {
        executionSummaries: executions.map((execution) => ({ thingArn: arnOf(region, 'thing', execution.thingName), jobExecutionSummary: summaryOf(execution) })),
        nextToken: nextTokenAfter(page, more),
      };
    },
  ),

  ListJobExecutionsForThing: operation<Validated<Iot.ListJobExecutionsForThingRequest, 'thingName'>, Iot.ListJobExecutionsForThingResponse>(
    async (input, { services }) => {
      const executions = await services.aws.executions.forThing(input.thingName, {
        ...(input.status !== undefined && { status: input.status }),
        ...(input.jobId !== undefined && { jobId: input.jobId }),
      });
      const { items, nextToken } = pageOf(
        executions.filter((execution) => input.namespaceId === undefined || services.aws.jobs.get(execution.jobId).record.namespaceId === input.namespaceId),
        pageRequest(input),
      );
      return { executionSummaries: items.map((execution) => ({ jobId: execution.jobId, jobExecutionSummary: summaryOf(execution) })), nextToken };
    },
  ),

  DescribeJobExecution: operation<Validated<Iot.DescribeJobExecutionRequest, 'jobId' | 'thingName'>, Iot.DescribeJobExecutionResponse>(
    async (input, { services, region }) => {
      const execution = await services.aws.executions.get(input.jobId, input.thingName);
      if (input.executionNumber !== undefined && input.executionNumber !== EXECUTION_NUMBER) {
        throw new AwsError('ResourceNotFoundException', `Job "${input.jobId}" has no execution number ${input.executionNumber} on thing "${input.thingName}".`);
      }
      return {
        execution: {
          ...summaryOf(execution),
          jobId: execution.jobId,
          thingArn: arnOf(region, 'thing', execution.thingName),
          versionNumber: execution.versionNumber,
          forceCanceled: execution.forceCanceled,
          // AWS answers `{}` for an execution without details.
          statusDetails: Object.keys(execution.statusDetails).length === 0 ? {} : { detailsMap: execution.statusDetails },
        },
      };
    },
  ),

  CancelJobExecution: operation<Validated<Iot.CancelJobExecutionRequest, 'jobId' | 'thingName'>, void>(async (input, { services }) => {
    await services.aws.executions.cancel(input.jobId, input.thingName, {
      force: input.force ?? false,
      ...(input.expectedVersion !== undefined && { expectedVersion: input.expectedVersion }),
      ...(input.statusDetails !== undefined && { statusDetails: input.statusDetails }),
    });
  }),

  DeleteJobExecution: operation<Validated<Iot.DeleteJobExecutionRequest, 'jobId' | 'thingName' | 'executionNumber'>, void>(async (input, { services }) => {
    await services.aws.executions.remove(input.jobId, input.thingName, input.executionNumber, input.force ?? false);
  }),
};
