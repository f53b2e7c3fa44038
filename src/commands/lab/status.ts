import {Flags} from '@oclif/core'

import {RcdiagCommand} from '../../cli/base-command.js'
import {labError} from '../../lib/shared/errors.js'
import {defaultStateDir, labStatus, readLab, type LabStatus} from '../../lib/lab/index.js'
import {renderLabStatus} from '../../lib/lab/render.js'
import {SCHEMA_VERSION} from '../../lib/shared/version.js'

export default class LabStatusCommand extends RcdiagCommand {
  static override summary = 'Show whether the nodes of a lab are alive and answering, their roles and the cluster state.'
  static override examples = ['<%= config.bin %> lab status', '<%= config.bin %> lab status --name single --json']
  static override flags = {
    name: Flags.string({summary: 'Lab name.', default: 'default'}),
  }

  async run(): Promise<{schemaVersion: number; command: 'lab status'} & LabStatus> {
    const {flags} = await this.parse(LabStatusCommand)
    const state = await readLab(flags.name)
    if (!state) throw labError(`no lab named "${flags.name}" (looked in ${defaultStateDir()}); start one with: rcdiag lab up`)
    const status = await labStatus(state)
    this.render(renderLabStatus(status))
    return {schemaVersion: SCHEMA_VERSION, command: 'lab status', ...status}
  }
}
