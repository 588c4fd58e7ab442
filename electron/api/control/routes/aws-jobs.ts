import { Ajv } from 'ajv';
import type { FastifyInstance } from 'fastify';
import type { AwsJobSettings, AwsJobStatus, ExecutionStatus, RolloutRate } from '../../../domain/aws/aws-job-model.js';
import type { AwsJobView } from '../../../domain/aws/aws-jobs.js';
import { findExecutions } from '../../../domain/aws/job-executions.js';
import { rolloutCurve } from '../../../domain/aws/rollout-plan.js';
import { invalid } from '../../../domain/errors.js';
import type { Services } from '../../../domain/services.js';
import { arnOf } from '../../aws/arns.js';
import { IOT_MODEL } from '../../aws/service-model.js';
import { MODEL_PATTERN, schemaDefinitions } from '../../aws/shape-schema.js';
import { strictBody } from '../body-validation.js';
import { integerParam } from '../query-params.js';

/** The region named in the target ARNs of jobs created here (the AWS dialect answers any region). */
const CONTROL_REGION = 'us-east-1';
const MAX_PAGE = 1000;

const JOB_STATUSES: AwsJobStatus[] = ['SCHEDULED', 'IN_PROGRESS', 'CANCELED', 'COMPLETED'];
const EXECUTION_STATUSES: ExecutionStatus[] = ['QUEUED', 'IN_PROGRESS', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'REJECTED', 'CANCELED', 'REMOVED'];

// Members are checked against the AWS IoT service model's own shapes, so the limits are exactly CreateJob's.
const ajv = new Ajv({ strict: false, allErrors: false, coerceTypes: false, removeAdditional: false, useDefaults: false });
ajv.addKeyword(MODEL_PATTERN);
ajv.addSchema({ $id: 'model', definitions: schemaDefinitions(IOT_MODEL) });
const shape = (name: string) => ({ $ref: `model#/definitions/${name}` });
const modelBody = (schema: object) => ({ ...strictBody(schema), validatorCompiler: ({ schema: body }: { schema: object }) => ajv.compile(body) });

const TARGETS = {
  thingGroupNames: { type: 'array', maxItems: 100, items: shape('ThingGroupName') },
  thingNames: { type: 'array', maxItems: 100, items: shape('ThingName') },
};

const CREATE_BODY = {
  type: 'object',
  required: ['jobId', 'document'],
  additionalProperties: false,
  properties: {
    jobId: shape('JobId'),
    description: shape('JobDescription'),
    ...TARGETS,
    document: shape('JobDocument'),
    targetSelection: shape('TargetSelection'),
    jobExecutionsRolloutConfig: shape('JobExecutionsRolloutConfig'),
    abortConfig: shape('AbortConfig'),
    timeoutConfig: shape('TimeoutConfig'),
    jobExecutionsRetryConfig: shape('JobExecutionsRetryConfig'),
    schedulingConfig: shape('SchedulingConfig'),
  },
};

const DRY_RUN_BODY = {
  type: 'object',
  additionalProperties: false,
  properties: { ...TARGETS, jobExecutionsRolloutConfig: shape('JobExecutionsRolloutConfig') },
};

const CANCEL_BODY = {
  type: 'object',
  additionalProperties: false,
  properties: { force: { type: 'boolean' }, reasonCode: shape('ReasonCode'), comment: shape('Comment') },
};

type Targets = { thingGroupNames?: string[]; thingNames?: string[] };
type CreateBody = Targets &
  Pick<AwsJobSettings, 'jobExecutionsRolloutConfig' | 'abortConfig' | 'timeoutConfig' | 'jobExecutionsRetryConfig' | 'schedulingConfig'> & {
    jobId: string;
    description?: string;
    document: string;
    targetSelection?: 'SNAPSHOT' | 'CONTINUOUS';
  };
type ExecutionsQuery = { offset?: string; limit?: string; status?: ExecutionStatus; search?: string };

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

function summaryOf(view: AwsJobView) {
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
export async function awsJobRoutes(app: FastifyInstance, { services }: { services: Services }): Promise<void> {
  const { aws } = services;

  app.get('/aws/thing-groups', async () => ({
    value: aws.thingGroups.list().map((group) => ({
      name: group.name,
      description: group.description,
      things: aws.thingGroups.memberCount(group.name),
    })),
  }));

  app.get<{ Querystring: { status?: AwsJobStatus } }>(
    '/aws/jobs',
    { schema: { querystring: { type: 'object', properties: { status: { enum: JOB_STATUSES } } } } },
    async (request) => ({ value: aws.jobs.list(request.query.status ? { status: request.query.status } : {}).map(summaryOf) }),
  );

  app.get<{ Params: { jobId: string } }>('/aws/jobs/:jobId', async (request) => {
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

  app.get<{ Params: { jobId: string }; Querystring: ExecutionsQuery }>(
    '/aws/jobs/:jobId/executions',
    {
      schema: {
        querystring: { type: 'object', properties: { offset: { type: 'string' }, limit: { type: 'string' }, status: { enum: EXECUTION_STATUSES }, search: { type: 'string', maxLength: 128 } } },
      },
    },
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

  app.post<{ Body: CreateBody }>('/aws/jobs', modelBody(CREATE_BODY), async (request, reply) => {
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
  app.post<{ Body: Targets & { jobExecutionsRolloutConfig?: RolloutRate } }>('/aws/jobs/dry-run', modelBody(DRY_RUN_BODY), async (request) => {
    const { thingGroupNames = [], thingNames = [], jobExecutionsRolloutConfig = {} } = request.body;
    return rolloutCurve(jobExecutionsRolloutConfig, aws.jobs.targetCount(thingNames, thingGroupNames));
  });

  app.post<{ Params: { jobId: string }; Body: { force?: boolean; reasonCode?: string; comment?: string } }>(
    '/aws/jobs/:jobId/cancel',
    modelBody(CANCEL_BODY),
    async (request) => {
      const { force = false, reasonCode, comment } = request.body ?? {};
      await aws.jobs.cancel(request.params.jobId, { force, ...(reasonCode !== undefined && { reasonCode }), ...(comment !== undefined && { comment }) });
      return summaryOf(aws.jobs.get(request.params.jobId));
    },
  );
}
