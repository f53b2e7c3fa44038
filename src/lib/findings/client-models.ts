/**
 * What each replay client behaviour model does on a closed connection (the README's "client
 * behaviour models"). Findings name a model with this, so a measured difference reads as a
 * recommendation.
 */
export const CLIENT_MODEL_BEHAVIOUR: Readonly<Record<string, string>> = Object.freeze({
  ioredis: 'the ioredis Cluster client with its defaults',
  'refresh-on-error': 'redis-py-cluster 2.x: retry on a random node, then every caller re-reads the slot map',
  'single-flight': 'reconnect and retry the same node, one refresh at a time',
})

/** "single-flight (reconnect and retry the same node, one refresh at a time)"; unknown models by name only. */
export function describeClientModel(client: string): string {
  const behaviour = Object.hasOwn(CLIENT_MODEL_BEHAVIOUR, client) ? CLIENT_MODEL_BEHAVIOUR[client] : undefined
  return behaviour ? `${client} (${behaviour})` : client
}
