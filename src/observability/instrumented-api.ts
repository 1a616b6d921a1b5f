/** Times every DynamoDB call the resolvers and REST integrations make, for the data-source metrics. */
import type { DynamoDBApi } from '../store/dynamodb-api';
import type { ServiceMetrics } from './metrics';

export function instrumentedApi(api: DynamoDBApi, metrics: ServiceMetrics): DynamoDBApi {
  /** Awaits `answer`, recording its time under `operation`; `ok` judges a value that did come back. */
  const timed = async <T>(operation: string, answer: Promise<T>, ok: (value: T) => boolean): Promise<T> => {
    const started = process.hrtime.bigint();
    const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
    try {
      const value = await answer;
      metrics.dataSourceCall(operation, seconds(), ok(value));
      return value;
    } catch (error) {
      metrics.dataSourceCall(operation, seconds(), false);
      throw error;
    }
  };
  return {
    call: (operation, input) => timed(operation, api.call(operation, input), () => true),
    callWire: (action, body) => timed(action, api.callWire(action, body), (answer) => answer.statusCode < 400),
  };
}
