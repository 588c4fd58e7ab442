import type * as Iot from '@aws-sdk/client-iot';
import { AwsError, notImplemented } from '../errors.js';
import { operation, type OperationHandlers } from '../operation.js';

/**
 * Where each endpoint type is on this emulator, from the address the client reached it at (host and port). A Map, not
 * an object literal: `endpointType=__proto__` or `toString` must not find Object.prototype's members.
 */
const ENDPOINTS = new Map<string, (host: string) => string>([
  ['iot:Data', (host) => host],
  ['iot:Data-ATS', (host) => host],
  // `https://<address>` is then the jobs data plane's endpoint, as it is for AWS's own address.
  ['iot:Jobs', (host) => `${host}/aws-jobs-data`],
]);

export const endpointOperations: OperationHandlers = {
  DescribeEndpoint: operation<Iot.DescribeEndpointRequest, Iot.DescribeEndpointResponse>(async (input, { host }) => {
    const type = input.endpointType ?? 'iot:Data';
    if (type === 'iot:CredentialProvider') throw notImplemented('the credential provider endpoint');
    const endpoint = ENDPOINTS.get(type);
    if (!endpoint) throw new AwsError('InvalidRequestException', `Endpoint type ${type} is not valid; use iot:Data, iot:Data-ATS, iot:Jobs or iot:CredentialProvider.`);
    return { endpointAddress: endpoint(host) };
  }),
};
