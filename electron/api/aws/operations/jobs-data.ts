import type * as JobsData from '@aws-sdk/client-iot-jobs-data-plane';
import type { AgentExecutionView } from '../../../domain/aws/agent-executions.js';
import type { ExecutionView } from '../../../domain/aws/aws-job-executions.js';
import { AwsError } from '../errors.js';
import { operation, type AwsContext, type OperationHandlers, type Validated } from '../operation.js';

const NEXT_JOB = '$next';

/** The data plane's times are `long`s: whole epoch seconds. */
const seconds = (ms: number | undefined) => (ms === undefined ? undefined : Math.floor(ms / 1000));

const EXECUTION_NUMBER = 1;

const summaryOf = (execution: ExecutionView): JobsData.JobExecutionSummary => ({
  jobId: execution.jobId,
  queuedAt: seconds(execution.queuedAt),
  startedAt: seconds(execution.startedAt),
  lastUpdatedAt: seconds(execution.lastUpdatedAt),
  versionNumber: execution.versionNumber,
  executionNumber: EXECUTION_NUMBER,
});

/** The execution as the agent sees it: its document as delivered, presigned URLs made for the address it called. */
const executionOf = async (execution: AgentExecutionView, { services, origin }: AwsContext): Promise<JobsData.JobExecution> => ({
  ...summaryOf(execution),
  thingName: execution.thingName,
  status: execution.status,
  statusDetails: execution.statusDetails,
  approximateSecondsBeforeTimedOut: execution.approximateSecondsBeforeTimedOut,
  jobDocument: execution.jobDocument === undefined ? undefined : await services.aws.jobs.deliveredDocument(execution.jobId, execution.thingName, origin),
});

/** The jobs data plane a device agent uses (HTTPS API); only external things' executions can be updated. */
export const jobsDataOperations: OperationHandlers = {
  GetPendingJobExecutions: operation<Validated<JobsData.GetPendingJobExecutionsRequest, 'thingName'>, JobsData.GetPendingJobExecutionsResponse>(
    async (input, { services }) => {
      const { inProgress, queued } = await services.aws.agents.pending(input.thingName);
      return { inProgressJobs: inProgress.map(summaryOf), queuedJobs: queued.map(summaryOf) };
    },
  ),

  DescribeJobExecution: operation<Validated<JobsData.DescribeJobExecutionRequest, 'jobId' | 'thingName'>, JobsData.DescribeJobExecutionResponse>(
    async (input, context) => {
      if (input.executionNumber !== undefined && input.executionNumber !== EXECUTION_NUMBER) {
        throw new AwsError('ResourceNotFoundException', `Thing "${input.thingName}" has no execution number ${input.executionNumber} of job "${input.jobId}".`);
      }
      const { agents } = context.services.aws;
      const withDocument = input.includeJobDocument ?? false;
      // The job id `$next` names the thing's next pending execution (AWS IoT's own spelling).
      const execution = input.jobId === NEXT_JOB ? await agents.describeNext(input.thingName, withDocument) : await agents.describe(input.thingName, input.jobId, withDocument);
      return { execution: await executionOf(execution, context) };
    },
  ),

  StartNextPendingJobExecution: operation<Validated<JobsData.StartNextPendingJobExecutionRequest, 'thingName'>, JobsData.StartNextPendingJobExecutionResponse>(
    async (input, context) => {
      const execution = await context.services.aws.agents.startNext(input.thingName, input.statusDetails, input.stepTimeoutInMinutes);
      return execution ? { execution: await executionOf(execution, context) } : {};
    },
  ),

  UpdateJobExecution: operation<Validated<JobsData.UpdateJobExecutionRequest, 'jobId' | 'thingName' | 'status'>, JobsData.UpdateJobExecutionResponse>(
    async (input, { services, origin }) => {
      const execution = await services.aws.agents.update(input.thingName, input.jobId, {
        status: input.status,
        ...(input.statusDetails !== undefined && { statusDetails: input.statusDetails }),
        ...(input.stepTimeoutInMinutes !== undefined && { stepTimeoutInMinutes: input.stepTimeoutInMinutes }),
        ...(input.expectedVersion !== undefined && { expectedVersion: input.expectedVersion }),
      });
      return {
        ...(input.includeJobExecutionState && {
          executionState: { status: execution.status, statusDetails: execution.statusDetails, versionNumber: execution.versionNumber },
        }),
        ...(input.includeJobDocument && { jobDocument: await services.aws.jobs.deliveredDocument(input.jobId, input.thingName, origin) }),
      };
    },
  ),
};
