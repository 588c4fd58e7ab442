import type * as Iot from '@aws-sdk/client-iot';
import { arnOf, nameOrArn, tagsOf } from '../arns.js';
import { operation, type OperationHandlers, type Validated } from '../operation.js';
import { pageOf, pageRequest } from '../paging.js';

export const billingGroupOperations: OperationHandlers = {
  CreateBillingGroup: operation<Validated<Iot.CreateBillingGroupRequest, 'billingGroupName'>, Iot.CreateBillingGroupResponse>(
    async (input, { services, region }) => {
      const description = input.billingGroupProperties?.billingGroupDescription;
      const group = await services.aws.billingGroups.create(input.billingGroupName, {
        ...(description !== undefined && { description }),
        ...(input.tags !== undefined && { tags: tagsOf(input.tags) }),
      });
      return { billingGroupName: group.name, billingGroupArn: arnOf(region, 'billinggroup', group.name), billingGroupId: group.id };
    },
  ),

  DescribeBillingGroup: operation<Validated<Iot.DescribeBillingGroupRequest, 'billingGroupName'>, Iot.DescribeBillingGroupResponse>(
    async (input, { services, region }) => {
      const group = services.aws.billingGroups.get(input.billingGroupName);
      return {
        billingGroupName: group.name,
        billingGroupId: group.id,
        billingGroupArn: arnOf(region, 'billinggroup', group.name),
        version: group.version,
        billingGroupProperties: { billingGroupDescription: group.description },
        billingGroupMetadata: { creationDate: new Date(group.createdAt) },
      };
    },
  ),

  ListBillingGroups: operation<Iot.ListBillingGroupsRequest, Iot.ListBillingGroupsResponse>(async (input, { services, region }) => {
    const { items, nextToken } = pageOf(services.aws.billingGroups.list(input.namePrefixFilter), pageRequest(input));
    return { billingGroups: items.map((group) => ({ groupName: group.name, groupArn: arnOf(region, 'billinggroup', group.name) })), nextToken };
  }),

  UpdateBillingGroup: operation<Validated<Iot.UpdateBillingGroupRequest, 'billingGroupName' | 'billingGroupProperties'>, Iot.UpdateBillingGroupResponse>(
    async (input, { services }) => ({
      version: await services.aws.billingGroups.update(input.billingGroupName, input.billingGroupProperties.billingGroupDescription, input.expectedVersion),
    }),
  ),

  DeleteBillingGroup: operation<Validated<Iot.DeleteBillingGroupRequest, 'billingGroupName'>, Iot.DeleteBillingGroupResponse>(async (input, { services }) => {
    await services.aws.billingGroups.remove(input.billingGroupName, input.expectedVersion);
    return {};
  }),

  AddThingToBillingGroup: operation<Iot.AddThingToBillingGroupRequest, Iot.AddThingToBillingGroupResponse>(async (input, { services, region }) => {
    const group = nameOrArn(input.billingGroupName, input.billingGroupArn, region, 'billinggroup', 'billingGroup');
    await services.aws.billingGroups.addThing(group, nameOrArn(input.thingName, input.thingArn, region, 'thing', 'thing'));
    return {};
  }),

  RemoveThingFromBillingGroup: operation<Iot.RemoveThingFromBillingGroupRequest, Iot.RemoveThingFromBillingGroupResponse>(async (input, { services, region }) => {
    const group = nameOrArn(input.billingGroupName, input.billingGroupArn, region, 'billinggroup', 'billingGroup');
    await services.aws.billingGroups.removeThing(group, nameOrArn(input.thingName, input.thingArn, region, 'thing', 'thing'));
    return {};
  }),

  ListThingsInBillingGroup: operation<Validated<Iot.ListThingsInBillingGroupRequest, 'billingGroupName'>, Iot.ListThingsInBillingGroupResponse>(
    async (input, { services }) => {
      const { items, nextToken } = pageOf(services.aws.billingGroups.thingsOf(input.billingGroupName), pageRequest(input));
      return { things: items, nextToken };
    },
  ),
};
