import type { Tag } from '../../domain/aws/aws-job-model.js';
import { checkTagCount } from '../../domain/aws/registry-limits.js';
import { AwsError } from './errors.js';

/** The one AWS account Fleetlab emulates (AWS's documentation example account). */
export const ACCOUNT_ID = '123456789012';

export type ArnResource = 'thing' | 'thinggroup' | 'billinggroup' | 'thingtype' | 'job' | 'jobtemplate' | 'cert';

export const arnOf = (region: string, resource: ArnResource, name: string) => `arn:aws:iot:${region}:${ACCOUNT_ID}:${resource}/${name}`;

const ARN = /^arn:aws:iot:([a-z0-9-]+):(\d{12}):([a-z]+)\/(.+)$/;

/** The name in an IoT ARN of one of the expected resource types; the region must be the request's, the account ours. */
export function parseArn(arn: string, region: string, expected: ArnResource[]): { resource: ArnResource; name: string } {
  const match = ARN.exec(arn);
  const resource = match?.[3] as ArnResource | undefined;
  if (!match || !resource || !expected.includes(resource)) {
    const forms = expected.map((type) => `arn:aws:iot:${region}:${ACCOUNT_ID}:${type}/<name>`).join(' or ');
    throw new AwsError('InvalidRequestException', `"${arn}" is not an ARN of the form ${forms}.`);
  }
  if (match[1] !== region || match[2] !== ACCOUNT_ID) {
    throw new AwsError('InvalidRequestException', `"${arn}" names region ${match[1]} and account ${match[2]}; this endpoint is ${region}, account ${ACCOUNT_ID}.`);
  }
  return { resource, name: match[4]! };
}

/** A resource named either by name or by ARN; exactly one of the two. */
export function nameOrArn(name: string | undefined, arn: string | undefined, region: string, resource: ArnResource, member: string): string {
  if ((name === undefined) === (arn === undefined)) {
    throw new AwsError('InvalidRequestException', `Give exactly one of ${member}Name and ${member}Arn.`);
  }
  return name ?? parseArn(arn!, region, [resource]).name;
}

/** Tags as the SDK types them (Key optional, which the model's validation has already required) as the domain keeps them. */
/** Tags as sent, at most the 50 a resource may have. */
export function tagsOf(tags: { Key?: string; Value?: string }[]): Tag[] {
  const given = tags.map(({ Key, Value }) => ({ Key: Key!, ...(Value !== undefined && { Value }) }));
  checkTagCount(given);
  return given;
}
