import type { Context } from 'aws-lambda';
import { lambdaContext } from './lambda-context.ts';
import { type LambdaDefinition, LambdaTimeoutError, type LocalLambda } from './local-lambda.ts';

type Handler = (event: unknown, context: Context) => Promise<unknown>;

/**
 * A function run in the stack's own thread: the module is imported once, at the first invocation
 * (or when provisioned, if the function has provisioned concurrency), and shared by all of them. A timeout
 * fails the invocation but cannot stop its work, which runs on.
 */
export class InProcessLambda implements LocalLambda {
  private handler: Promise<Handler> | undefined;

  constructor(private readonly definition: LambdaDefinition) {}

  async provision(): Promise<void> {
    if (this.definition.provisioned > 0) await this.load().catch(() => undefined);
  }

  async invoke(event: unknown): Promise<unknown> {
    const { name, timeoutMs } = this.definition;
    const handler = await this.load();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new LambdaTimeoutError(name, timeoutMs)), timeoutMs);
    });
    try {
      return await Promise.race([handler(event, lambdaContext(name, timeoutMs)), timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {}

  private load(): Promise<Handler> {
    // A module that failed to load is loaded again next time, as Lambda starts a new instance.
    this.handler ??= import(this.definition.moduleUrl).then(
      (module: { handler: Handler }) => module.handler,
      (error: unknown) => {
        this.handler = undefined;
        throw error;
      },
    );
    return this.handler;
  }
}
