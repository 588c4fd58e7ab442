import type * as Iot from '@aws-sdk/client-iot';
import { operation, type OperationHandlers, type Validated } from '../operation.js';
import { nextTokenAfter, pageRequest } from '../paging.js';

export const searchOperations: OperationHandlers = {
  SearchIndex: operation<Validated<Iot.SearchIndexRequest, 'queryString'>, Iot.SearchIndexResponse>(async (input, { services }) => {
    const page = pageRequest(input);
    const { things, more } = services.aws.search.search(input.indexName, input.queryString, page.offset, page.limit);
    return { things: things.map((thing) => ({ ...thing, thingGroupNames: [...thing.thingGroupNames] })), thingGroups: [], nextToken: nextTokenAfter(page, more) };
  }),
};
