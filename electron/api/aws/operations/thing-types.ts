import type * as Iot from '@aws-sdk/client-iot';
import type { ThingTypeView } from '../../../domain/aws/thing-types.js';
import { arnOf, tagsOf } from '../arns.js';
import { operation, type OperationHandlers, type Validated } from '../operation.js';
import { pageOf, pageRequest } from '../paging.js';

const date = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms));

function definitionOf(type: ThingTypeView, region: string): Iot.ThingTypeDefinition {
  return {
    thingTypeName: type.name,
    thingTypeArn: arnOf(region, 'thingtype', type.name),
    thingTypeProperties: { thingTypeDescription: type.description, searchableAttributes: type.searchableAttributes },
    thingTypeMetadata: { deprecated: type.deprecated, deprecationDate: date(type.deprecatedAt), creationDate: date(type.createdAt) },
  };
}

/** Thing types are device templates (see docs/compat.md). */
export const thingTypeOperations: OperationHandlers = {
  CreateThingType: operation<Validated<Iot.CreateThingTypeRequest, 'thingTypeName'>, Iot.CreateThingTypeResponse>(async (input, { services, region }) => {
    const properties = input.thingTypeProperties;
    const type = await services.aws.thingTypes.create(input.thingTypeName, {
      ...(properties?.thingTypeDescription !== undefined && { description: properties.thingTypeDescription }),
      ...(properties?.searchableAttributes !== undefined && { searchableAttributes: properties.searchableAttributes }),
      ...(input.tags !== undefined && { tags: tagsOf(input.tags) }),
    });
    return { thingTypeName: type.name, thingTypeArn: arnOf(region, 'thingtype', type.name), thingTypeId: type.id };
  }),

  DescribeThingType: operation<Validated<Iot.DescribeThingTypeRequest, 'thingTypeName'>, Iot.DescribeThingTypeResponse>(async (input, { services, region }) => {
    const type = services.aws.thingTypes.describe(input.thingTypeName);
    return { ...definitionOf(type, region), thingTypeId: type.id };
  }),

  ListThingTypes: operation<Iot.ListThingTypesRequest, Iot.ListThingTypesResponse>(async (input, { services, region }) => {
    const { items, nextToken } = pageOf(services.aws.thingTypes.list(input.thingTypeName), pageRequest(input));
    return { thingTypes: items.map((type) => definitionOf(type, region)), nextToken };
  }),

  DeprecateThingType: operation<Validated<Iot.DeprecateThingTypeRequest, 'thingTypeName'>, Iot.DeprecateThingTypeResponse>(async (input, { services }) => {
    await services.aws.thingTypes.deprecate(input.thingTypeName, input.undoDeprecate ?? false);
    return {};
  }),

  DeleteThingType: operation<Validated<Iot.DeleteThingTypeRequest, 'thingTypeName'>, Iot.DeleteThingTypeResponse>(async (input, { services }) => {
    await services.aws.thingTypes.remove(input.thingTypeName);
    return {};
  }),
};
