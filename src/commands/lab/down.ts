import {Flags} from '@oclif/core'

import {RcdiagCommand} from '../../cli/base-command.js'
import {defaultStateDir, readLab, stopLab} from '../../lib/lab/index.js'
import {labError} from '../../lib/shared/errors.js'
import {SCHEMA_VERSION} from '../../lib/shared/version.js'

export default class LabDown extends RcdiagCommand {
  static override summary = 'Stop a lab started by `rcdiag lab up` and remove its data.'
  static override description =
    'Signals exactly the recorded PIDs (only while they are still redis-server processes), waits for them, then removes the data directory and the state file.'
  static override examples = ['<%= config.bin %> lab down', '<%= config.bin %> lab down --name single']
  static override flags = {
    name: Flags.string({summary: 'Lab name.', default: 'default'}),
  }

  async run(): Promise<{schemaVersion: number; command: 'lab down'; name: string; stopped: boolean; nodes: number}> {
    const {flags} = await this.parse(LabDown)
    const state = await readLab(flags.name)
    // no such lab is a lab failure (exit 5), as the README says: a script that stops the wrong name should know
    if (!state) throw labError(`no lab named "${flags.name}" (looked in ${defaultStateDir()}): nothing to stop`)
    this.spinner(`stopping ${state.nodes.length} redis-server process(es)`)
    await stopLab(state)
    this.render(`Lab "${state.name}" stopped: ${state.nodes.length} server(s), data removed.`)
    return {schemaVersion: SCHEMA_VERSION, command: 'lab down', name: state.name, stopped: true, nodes: state.nodes.length}
  }
}
