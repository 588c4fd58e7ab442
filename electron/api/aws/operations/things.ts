import type * as Iot from '@aws-sdk/client-iot';
import type { ThingView } from '../../../domain/aws/things.js';
import { arnOf } from '../arns.js';
import { operation, type OperationHandlers, type Validated } from '../operation.js';
import { nextTokenAfter, pageRequest } from '../paging.js';

const thingAttribute = (thing: ThingView, region: string): Iot.ThingAttribute => ({
  thingName: thing.name,
  thingArn: arnOf(region, 'thing', thing.name),
  thingTypeName: thing.typeName,
  attributes: thing.attributes,
  version: thing.version,
});

/** Things are the emulator's devices: thing name = device id, thing type = device template. */
export const thingOperations: OperationHandlers = {
  CreateThing: operation<Validated<Iot.CreateThingRequest, 'thingName'>, Iot.CreateThingResponse>(async (input, { services, region }) => {
    const thing = await services.aws.things.create(input.thingName, {
      ...(input.thingTypeName !== undefined && { typeName: input.thingTypeName }),
      ...(input.billingGroupName !== undefined && { billingGroup: input.billingGroupName }),
      ...(input.attributePayload?.attributes !== undefined && { attributes: input.attributePayload.attributes }),
    });
    return { thingName: thing.name, thingArn: arnOf(region, 'thing', thing.name), thingId: thing.id };
  }),

  DescribeThing: operation<Validated<Iot.DescribeThingRequest, 'thingName'>, Iot.DescribeThingResponse>(async (input, { services, region }) => {
    const thing = services.aws.things.describe(input.thingName);
    return { ...thingAttribute(thing, region), thingId: thing.id, defaultClientId: thing.name, billingGroupName: thing.billingGroup };
  }),

  UpdateThing: operation<Validated<Iot.UpdateThingRequest, 'thingName'>, Iot.UpdateThingResponse>(async (input, { services }) => {
    await services.aws.things.update(input.thingName, {
      ...(input.thingTypeName !== undefined && { typeName: input.thingTypeName }),
      ...(input.removeThingType !== undefined && { removeType: input.removeThingType }),
      ...(input.attributePayload?.attributes !== undefined && { attributes: input.attributePayload.attributes }),
      ...(input.attributePayload?.merge !== undefined && { merge: input.attributePayload.merge }),
      ...(input.expectedVersion !== undefined && { expectedVersion: input.expectedVersion }),
    });
    return {};
  }),

  DeleteThing: operation<Validated<Iot.DeleteThingRequest, 'thingName'>, Iot.DeleteThingResponse>(async (input, { services }) => {
    await services.aws.things.remove(input.thingName, input.expectedVersion);
    return {};
  }),

  ListThings: operation<Iot.ListThingsRequest, Iot.ListThingsResponse>(async (input, { services, region }) => {
    const page = pageRequest(input);
    const { things, more } = services.aws.things.list(
      {
        ...(input.attributeName !== undefined && { attributeName: input.attributeName }),
        ...(input.attributeValue !== undefined && { attributeValue: input.attributeValue }),
        ...(input.usePrefixAttributeValue !== undefined && { usePrefixAttributeValue: input.usePrefixAttributeValue }),
        ...(input.thingTypeName !== undefined && { typeName: input.thingTypeName }),
      },
      page.offset,
      page.limit,
    );
    return { things: things.map((thing) => thingAttribute(thing, region)), nextToken: nextTokenAfter(page, more) };
  }),
};
