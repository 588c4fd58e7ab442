import type { Services } from '../../domain/services.js';

/** What an operation handler gets besides its input. */
export interface AwsContext {
  services: Services;
  /** The region the request was signed for; ARNs in answers name it. */
  region: string;
  /** The address (host and port) the client reached the emulator at, from the request's Host. */
  host: string;
  /** Scheme and host the client reached the emulator at: presigned URLs in job documents point there. */
  origin: string;
}

/** An SDK input type whose listed members the model requires, so binding has checked they are present. */
export type Validated<T, Required extends keyof T = never> = T & { [P in Required]-?: NonNullable<T[P]> };

/** Handlers take the bound, validated input and return the output shape's members (timestamps as Date). */
export type OperationHandler = (input: never, context: AwsContext) => Promise<object | void>;

export type OperationHandlers = Record<string, OperationHandler>;

/** Types a handler with the SDK's own request and response types, generated from the same service model. */
export const operation = <I, O extends object | void>(handler: (input: I, context: AwsContext) => Promise<O>): OperationHandler =>
  handler as OperationHandler;
