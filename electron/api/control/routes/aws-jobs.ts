import type { FastifyInstance } from 'fastify';
import type { AwsJobView } from '../../../domain/aws/aws-jobs.js';
import { findExecutions } from '../../../domain/aws/execution-status.js';
import { rolloutCurve } from '../../../domain/aws/rollout-plan.js';
import { invalid } from '../../../domain/errors.js';
import { arnOf } from '../../aws/arns.js';
import { integerParam } from '../query-params.js';
import {
  AwsExecutionPage,
  AwsExecutionsQuery,
  AwsJob,
  AwsJobCancelBody,
  AwsJobCreateBody,
  AwsJobDryRunBody,
  AwsJobList,
  AwsJobsQuery,
  AwsJobSummary,
  RolloutCurve,
  ThingGroups,
} from '../schema/aws-jobs.js';

/** The region named in the target ARNs of jobs created here (the AWS dialect answers any region). */
const CONTROL_REGION = 'us-east-1';
const MAX_PAGE = 1000;

type Targets = { thingGroupNames?: string[]; thingNames?: string[] };

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

function summaryOf(view: AwsJobView): AwsJobSummary {
  const { record } = view;
  return {
    jobId: record.jobId,
    status: view.status,
    targetSelection: record.targetSelection,
    description: record.description,
    createdAt: iso(record.createdAt),
    lastUpdatedAt: iso(view.lastUpdatedAt),
    completedAt: iso(view.completedAt),
  };
}

function checkTargets({ thingGroupNames = [], thingNames = [] }: Targets): void {
  if (thingGroupNames.length + thingNames.length === 0) throw invalid('thingGroupNames: choose at least one thing group or thing.');
}

function checkDocument(document: string): void {
  try {
    JSON.parse(document);
  } catch (error) {
    throw invalid(`document: is not valid JSON (${(error as Error).message}).`);
  }
}

/**
 * AWS IoT jobs for the UI, which cannot sign SigV4: the same domain services as /aws, behind the session cookie.
 * Jobs created here name their targets with CONTROL_REGION ARNs.
 */
export async function awsJobRoutes(app: FastifyInstance): Promise<void> {
  const { aws } = app.services;

  app.get<{ Reply: ThingGroups }>('/aws/thing-groups', { schema: { response: { 200: ThingGroups } } }, async () => ({
    value: aws.thingGroups.list().map((group) => ({
      name: group.name,
      description: group.description,
      things: aws.thingGroups.membership.memberCount(group.name),
    })),
  }));

  app.get<{ Querystring: AwsJobsQuery; Reply: AwsJobList }>(
    '/aws/jobs',
    { schema: { querystring: AwsJobsQuery, response: { 200: AwsJobList } } },
    async (request) => ({ value: aws.jobs.list(request.query.status ? { status: request.query.status } : {}).map(summaryOf) }),
  );

  app.get<{ Params: { jobId: string }; Reply: AwsJob }>('/aws/jobs/:jobId', { schema: { response: { 200: AwsJob } } }, async (request) => {
    const view = aws.jobs.get(request.params.jobId);
    const { record } = view;
    return {
      ...summaryOf(view),
      targets: record.targets,
      thingGroupNames: record.thingGroups,
      document: record.document,
      ...record.settings,
      comment: record.comment ?? view.failure,
      reasonCode: record.reasonCode,
      forceCanceled: record.forceCanceled ?? false,
      jobProcessDetails: await aws.executions.counts(record.jobId),
    };
  });

  app.get<{ Params: { jobId: string }; Querystring: AwsExecutionsQuery; Reply: AwsExecutionPage }>(
    '/aws/jobs/:jobId/executions',
    { schema: { querystring: AwsExecutionsQuery, response: { 200: AwsExecutionPage } } },
    async (request) => {
      const { status, search } = request.query;
      const view = aws.jobs.get(request.params.jobId);
      const context = await aws.executions.contextOf(view);
      const { matched, entries } = findExecutions(context, {
        countAll: true,
        offset: integerParam('offset', request.query.offset, 0, 0, 1e9),
        limit: integerParam('limit', request.query.limit, 100, 1, MAX_PAGE),
        ...(status && { status }),
        ...(search && { search }),
      });
      const executions = await Promise.all(entries.map((entry) => aws.executions.viewAt(view, entry.thingName, entry.status)));
      return {
        total: context.devices.size,
        matched,
        executions: executions.map((execution) => ({
          thingName: execution.thingName,
          status: execution.status,
          queuedAt: iso(execution.queuedAt),
          startedAt: iso(execution.startedAt),
          lastUpdatedAt: iso(execution.lastUpdatedAt),
          retryAttempt: execution.retryAttempt,
          versionNumber: execution.versionNumber,
          statusDetails: execution.statusDetails,
        })),
      };
    },
  );

  app.post<{ Body: AwsJobCreateBody; Reply: AwsJobSummary }>('/aws/jobs', { schema: { body: AwsJobCreateBody, response: { 201: AwsJobSummary } } }, async (request, reply) => {
    const { jobId, description, document, targetSelection, thingGroupNames = [], thingNames = [], ...settings } = request.body;
    checkTargets(request.body);
    checkDocument(document);
    const record = await aws.jobs.create({
      jobId,
      targets: [...thingGroupNames.map((name) => arnOf(CONTROL_REGION, 'thinggroup', name)), ...thingNames.map((name) => arnOf(CONTROL_REGION, 'thing', name))],
      thingGroupNames,
      thingNames,
      document,
      settings,
      ...(description !== undefined && { description }),
      ...(targetSelection !== undefined && { targetSelection }),
    });
    return reply.code(201).send(summaryOf(aws.jobs.get(record.jobId)));
  });

  // Devices notified per simulated minute if the job started now, paced by the engine's own release policy.
  app.post<{ Body: AwsJobDryRunBody; Reply: RolloutCurve }>('/aws/jobs/dry-run', { schema: { body: AwsJobDryRunBody, response: { 200: RolloutCurve } } }, async (request) => {
    const { thingGroupNames = [], thingNames = [], jobExecutionsRolloutConfig = {} } = request.body;
    return rolloutCurve(jobExecutionsRolloutConfig, aws.jobs.targetCount(thingNames, thingGroupNames));
  });

  app.post<{ Params: { jobId: string }; Body: AwsJobCancelBody | undefined; Reply: AwsJobSummary }>(
    '/aws/jobs/:jobId/cancel',
    { schema: { body: AwsJobCancelBody, response: { 200: AwsJobSummary } } },
    async (request) => {
      const { force = false, reasonCode, comment } = request.body ?? {};
      await aws.jobs.cancel(request.params.jobId, { force, ...(reasonCode !== undefined && { reasonCode }), ...(comment !== undefined && { comment }) });
      return summaryOf(aws.jobs.get(request.params.jobId));
    },
  );
}
