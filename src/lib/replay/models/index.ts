import type {Target} from '../../redis/target.js'
import type {ClientModel, ClientModelRunner} from '../types.js'
import {IoredisModel} from './ioredis.js'
import {RefreshOnErrorModel} from './refresh-on-error.js'
import {SingleFlightModel} from './single-flight.js'

export interface ModelContext {
  target: Target
  nodes: string[]
  slots: Array<string | undefined>
  workers: number
}

/** The workload's connections carry this name so the server side can count and tell them apart. */
export const workloadConnectionName = (model: ClientModel) => `rcdiag-replay-${model}`

export function createModel(model: ClientModel, context: ModelContext): ClientModelRunner {
  const connectionName = workloadConnectionName(model)
  switch (model) {
    case 'ioredis':
      return new IoredisModel({target: context.target, nodes: context.nodes, connectionName})
    case 'refresh-on-error':
      return new RefreshOnErrorModel({...context, connectionName})
    case 'single-flight':
      return new SingleFlightModel({...context, connectionName})
  }
}
