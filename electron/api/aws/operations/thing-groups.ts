import type * as Iot from '@aws-sdk/client-iot';
import type { ThingGroupRecord } from '../../../store/records.js';
import { arnOf, nameOrArn, tagsOf } from '../arns.js';
import { AwsError } from '../errors.js';
import { operation, type OperationHandlers, type Validated } from '../operation.js';
import { nextTokenAfter, pageOf, pageRequest } from '../paging.js';

const nameAndArn = (group: ThingGroupRecord, region: string): Iot.GroupNameAndArn => ({ groupName: group.name, groupArn: arnOf(region, 'thinggroup', group.name) });

export const thingGroupOperations: OperationHandlers = {
  CreateThingGroup: operation<Validated<Iot.CreateThingGroupRequest, 'thingGroupName'>, Iot.CreateThingGroupResponse>(
    async (input, { services, region }) => {
      const properties = input.thingGroupProperties;
      const group = await services.aws.thingGroups.create(input.thingGroupName, {
        ...(properties?.thingGroupDescription !== undefined && { description: properties.thingGroupDescription }),
        ...(properties?.attributePayload?.attributes !== undefined && { attributes: properties.attributePayload.attributes }),
        ...(input.parentGroupName !== undefined && { parent: input.parentGroupName }),
        ...(input.tags !== undefined && { tags: tagsOf(input.tags) }),
      });
      return { thingGroupName: group.name, thingGroupArn: arnOf(region, 'thinggroup', group.name), thingGroupId: group.id };
    },
  ),

  DescribeThingGroup: operation<Validated<Iot.DescribeThingGroupRequest, 'thingGroupName'>, Iot.DescribeThingGroupResponse>(
    async (input, { services, region }) => {
      const groups = services.aws.thingGroups;
      const group = groups.get(input.thingGroupName);
      return {
        thingGroupName: group.name,
        thingGroupId: group.id,
        thingGroupArn: arnOf(region, 'thinggroup', group.name),
        version: group.version,
        thingGroupProperties: {
          thingGroupDescription: group.description,
          attributePayload: { attributes: group.attributes ?? {} },
        },
        thingGroupMetadata: {
          parentGroupName: group.parent,
          rootToParentThingGroups: groups
            .ancestorsOf(group.name)
            .reverse()
            .map((name) => nameAndArn(groups.get(name), region)),
          creationDate: new Date(group.createdAt),
        },
        ...(group.query && { ...group.query, status: groups.dynamicStatus(group.name) }),
      };
    },
  ),

  CreateDynamicThingGroup: operation<Validated<Iot.CreateDynamicThingGroupRequest, 'thingGroupName' | 'queryString'>, Iot.CreateDynamicThingGroupResponse>(
    async (input, { services, region }) => {
      const properties = input.thingGroupProperties;
      const group = await services.aws.thingGroups.createDynamic(input.thingGroupName, {
        queryString: input.queryString,
        ...(input.queryVersion !== undefined && { queryVersion: input.queryVersion }),
        ...(input.indexName !== undefined && { indexName: input.indexName }),
        ...(properties?.thingGroupDescription !== undefined && { description: properties.thingGroupDescription }),
        ...(properties?.attributePayload?.attributes !== undefined && { attributes: properties.attributePayload.attributes }),
        ...(input.tags !== undefined && { tags: tagsOf(input.tags) }),
      });
      return { thingGroupName: group.name, thingGroupArn: arnOf(region, 'thinggroup', group.name), thingGroupId: group.id, ...group.query };
    },
  ),

  UpdateDynamicThingGroup: operation<Validated<Iot.UpdateDynamicThingGroupRequest, 'thingGroupName' | 'thingGroupProperties'>, Iot.UpdateDynamicThingGroupResponse>(
    async (input, { services }) => {
      const properties = input.thingGroupProperties;
      const version = await services.aws.thingGroups.updateDynamic(input.thingGroupName, {
        ...(properties.thingGroupDescription !== undefined && { description: properties.thingGroupDescription }),
        ...(properties.attributePayload?.attributes !== undefined && { attributes: properties.attributePayload.attributes }),
        ...(properties.attributePayload?.merge !== undefined && { merge: properties.attributePayload.merge }),
        ...(input.expectedVersion !== undefined && { expectedVersion: input.expectedVersion }),
        ...(input.queryString !== undefined && { queryString: input.queryString }),
      });
      return { version };
    },
  ),

  DeleteDynamicThingGroup: operation<Validated<Iot.DeleteDynamicThingGroupRequest, 'thingGroupName'>, Iot.DeleteDynamicThingGroupResponse>(async (input, { services }) => {
    await services.aws.thingGroups.remove(input.thingGroupName, input.expectedVersion);
    return {};
  }),

  ListThingGroups: operation<Iot.ListThingGroupsRequest, Iot.ListThingGroupsResponse>(async (input, { services, region }) => {
    const groups = services.aws.thingGroups.listFiltered({
      ...(input.parentGroup !== undefined && { parentGroup: input.parentGroup }),
      ...(input.namePrefixFilter !== undefined && { namePrefix: input.namePrefixFilter }),
      recursive: input.recursive ?? true,
    });
    const { items, nextToken } = pageOf(groups, pageRequest(input));
    return { thingGroups: items.map((group) => nameAndArn(group, region)), nextToken };
  }),

  UpdateThingGroup: operation<Validated<Iot.UpdateThingGroupRequest, 'thingGroupName' | 'thingGroupProperties'>, Iot.UpdateThingGroupResponse>(
    async (input, { services }) => {
      const properties = input.thingGroupProperties;
      const version = await services.aws.thingGroups.update(input.thingGroupName, {
        ...(properties.thingGroupDescription !== undefined && { description: properties.thingGroupDescription }),
        ...(properties.attributePayload?.attributes !== undefined && { attributes: properties.attributePayload.attributes }),
        ...(properties.attributePayload?.merge !== undefined && { merge: properties.attributePayload.merge }),
        ...(input.expectedVersion !== undefined && { expectedVersion: input.expectedVersion }),
      });
      return { version };
    },
  ),

  DeleteThingGroup: operation<Validated<Iot.DeleteThingGroupRequest, 'thingGroupName'>, Iot.DeleteThingGroupResponse>(async (input, { services }) => {
    await services.aws.thingGroups.remove(input.thingGroupName, input.expectedVersion);
    return {};
  }),

  AddThingToThingGroup: operation<Iot.AddThingToThingGroupRequest, Iot.AddThingToThingGroupResponse>(async (input, { services, region }) => {
    const group = nameOrArn(input.thingGroupName, input.thingGroupArn, region, 'thinggroup', 'thingGroup');
    const thing = nameOrArn(input.thingName, input.thingArn, region, 'thing', 'thing');
    await services.aws.thingGroups.membership.addThing(group, thing);
    return {};
  }),

  RemoveThingFromThingGroup: operation<Iot.RemoveThingFromThingGroupRequest, Iot.RemoveThingFromThingGroupResponse>(async (input, { services, region }) => {
    const group = nameOrArn(input.thingGroupName, input.thingGroupArn, region, 'thinggroup', 'thingGroup');
    const thing = nameOrArn(input.thingName, input.thingArn, region, 'thing', 'thing');
    await services.aws.thingGroups.membership.removeThing(group, thing);
    return {};
  }),

  UpdateThingGroupsForThing: operation<Iot.UpdateThingGroupsForThingRequest, Iot.UpdateThingGroupsForThingResponse>(async (input, { services }) => {
    if (input.thingName === undefined) throw new AwsError('InvalidRequestException', 'UpdateThingGroupsForThing needs a thingName.');
    await services.aws.thingGroups.membership.updateThingGroups(input.thingName, input.thingGroupsToAdd ?? [], input.thingGroupsToRemove ?? []);
    return {};
  }),

  ListThingGroupsForThing: operation<Validated<Iot.ListThingGroupsForThingRequest, 'thingName'>, Iot.ListThingGroupsForThingResponse>(
    async (input, { services, region }) => {
      const { items, nextToken } = pageOf(services.aws.thingGroups.membership.groupsOf(input.thingName), pageRequest(input));
      return { thingGroups: items.map((group) => nameAndArn(group, region)), nextToken };
    },
  ),

  ListThingsInThingGroup: operation<Validated<Iot.ListThingsInThingGroupRequest, 'thingGroupName'>, Iot.ListThingsInThingGroupResponse>(
    async (input, { services }) => {
      const page = pageRequest(input);
      const { things, more } = services.aws.thingGroups.membership.memberPage(input.thingGroupName, input.recursive ?? false, page.offset, page.limit);
      return { things, nextToken: nextTokenAfter(page, more) };
    },
  ),
};
