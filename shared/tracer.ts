/**
 * The X-Ray tracer: in Lambda (active tracing) it records each invocation and, through the AWS
 * clients it captures (shared/adapters/aws-clients.ts), every DynamoDB, SNS and S3 call. Outside Lambda
 * (the local stack, tests) Powertools leaves it off and the clients as they are.
 */
import { Tracer } from '@aws-lambda-powertools/tracer';

export const tracer = new Tracer({ serviceName: 'herald' });
