import type * as Iot from '@aws-sdk/client-iot';
import { arnOf, parseArn } from '../arns.js';
import { AwsError } from '../errors.js';
import { operation, type OperationHandlers, type Validated } from '../operation.js';
import { pageOf, pageRequest } from '../paging.js';

/** A resource named either by name or by ARN; exactly one of the two. */
function nameOrArn(name: string | undefined, arn: string | undefined, region: string, resource: 'thing' | 'thinggroup', member: string): string {
  if ((name === undefined) === (arn === undefined)) {
    throw new AwsError('InvalidRequestException', `Give exactly one of ${member}Name and ${member}Arn.`);
  }
  return name ?? parseArn(arn!, region, [resource]).name;
}

export const thingGroupOperations: OperationHandlers = {
  CreateThingGroup: operation<Validated<Iot.CreateThingGroupRequest, 'thingGroupName'>, Iot.CreateThingGroupResponse>(
    async (input, { services, region }) => {
      const properties = input.thingGroupProperties;
      const group = await services.aws.thingGroups.create(input.thingGroupName, {
        ...(properties?.thingGroupDescription !== undefined && { description: properties.thingGroupDescription }),
        ...(properties?.attributePayload?.attributes !== undefined && { attributes: properties.attributePayload.attributes }),
        ...(input.parentGroupName !== undefined && { parent: input.parentGroupName }),
        ...(input.tags !== undefined && { tags: input.tags.map(({ Key, Value }) => ({ Key: Key!, ...(Value !== undefined && { Value }) })) }),
      });
      return { thingGroupName: group.name, thingGroupArn: arnOf(region, 'thinggroup', group.name), thingGroupId: group.id };
    },
  ),

  AddThingToThingGroup: operation<Iot.AddThingToThingGroupRequest, Iot.AddThingToThingGroupResponse>(async (input, { services, region }) => {
    const group = nameOrArn(input.thingGroupName, input.thingGroupArn, region, 'thinggroup', 'thingGroup');
    const thing = nameOrArn(input.thingName, input.thingArn, region, 'thing', 'thing');
    await services.aws.thingGroups.addThing(group, thing);
    return {};
  }),

  ListThingsInThingGroup: operation<Validated<Iot.ListThingsInThingGroupRequest, 'thingGroupName'>, Iot.ListThingsInThingGroupResponse>(
    async (input, { services }) => {
      const { items, nextToken } = pageOf(services.aws.thingGroups.members(input.thingGroupName, input.recursive ?? false), pageRequest(input));
      return { things: items, nextToken };
    },
  ),
};
