import type * as Iot from '@aws-sdk/client-iot';
import type { TaggableResource } from '../../../domain/aws/resource-tags.js';
import { parseArn, tagsOf } from '../arns.js';
import { operation, type OperationHandlers, type Validated } from '../operation.js';
import { pageOf, pageRequest } from '../paging.js';

const TAGGABLE: TaggableResource[] = ['thing', 'thinggroup', 'billinggroup', 'thingtype', 'job', 'jobtemplate'];

const resourceOf = (arn: string, region: string) => parseArn(arn, region, TAGGABLE) as { resource: TaggableResource; name: string };

export const tagOperations: OperationHandlers = {
  TagResource: operation<Validated<Iot.TagResourceRequest, 'resourceArn' | 'tags'>, Iot.TagResourceResponse>(async (input, { services, region }) => {
    const { resource, name } = resourceOf(input.resourceArn, region);
    await services.aws.tags.tag(resource, name, tagsOf(input.tags));
    return {};
  }),

  UntagResource: operation<Validated<Iot.UntagResourceRequest, 'resourceArn' | 'tagKeys'>, Iot.UntagResourceResponse>(async (input, { services, region }) => {
    const { resource, name } = resourceOf(input.resourceArn, region);
    await services.aws.tags.untag(resource, name, input.tagKeys);
    return {};
  }),

  ListTagsForResource: operation<Validated<Iot.ListTagsForResourceRequest, 'resourceArn'>, Iot.ListTagsForResourceResponse>(async (input, { services, region }) => {
    const { resource, name } = resourceOf(input.resourceArn, region);
    const { items, nextToken } = pageOf([...services.aws.tags.list(resource, name)], pageRequest(input));
    return { tags: items, nextToken };
  }),
};
