/** Times every DynamoDB call the resolvers and REST integrations make, for the data-source metrics. */
import type { DynamoDBApi } from '../store/dynamodb-api';
import type { ServiceMetrics } from './metrics';

export function instrumentedApi(api: DynamoDBApi, metrics: ServiceMetrics): DynamoDBApi {
  const seconds = (started: bigint) => Number(process.hrtime.bigint() - started) / 1e9;
  return {
    async call(operation, input) {
      const started = process.hrtime.bigint();
      try {
        const output = await api.call(operation, input);
        metrics.dataSourceCall(operation, seconds(started), true);
        return output;
      } catch (error) {
        metrics.dataSourceCall(operation, seconds(started), false);
        throw error;
      }
    },
    async callWire(action, body) {
      const started = process.hrtime.bigint();
      try {
        const answer = await api.callWire(action, body);
        metrics.dataSourceCall(action, seconds(started), answer.statusCode < 400);
        return answer;
      } catch (error) {
        metrics.dataSourceCall(action, seconds(started), false);
        throw error;
      }
    },
  };
}
