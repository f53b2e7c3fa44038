import {Args} from '@oclif/core'

import {RcdiagCommand} from '../cli/base-command.js'
import {usageError} from '../lib/shared/errors.js'
import {
  explainEntryDocument,
  explainListDocument,
  renderCatalog,
  renderEntry,
  unknownIdMessage,
  wrapWidth,
  type ExplainEntryDocument,
  type ExplainListDocument,
} from '../lib/explain/render.js'
import {FINDING_IDS, FINDINGS, findingById} from '../lib/findings/registry.js'

export default class Explain extends RcdiagCommand {
  static override summary = 'Explain a finding: what it means, how rcdiag detects it and how to fix it.'
  static override description = 'Without an id, lists every finding rcdiag can report. Reads no server.'
  static override examples = [
    '<%= config.bin %> explain',
    '<%= config.bin %> explain idle-timeout-reconnect',
    '<%= config.bin %> explain slow-commands --json',
  ]
  static override args = {
    id: Args.string({description: 'A finding id, as in the findings of probe, replay and slowlog.'}),
  }

  async run(): Promise<ExplainListDocument | ExplainEntryDocument> {
    const {args} = await this.parse(Explain)
    const width = wrapWidth(process.stdout.columns)
    if (args.id === undefined) {
      this.render(renderCatalog(FINDINGS, width))
      return explainListDocument(FINDINGS)
    }
    const entry = findingById(args.id)
    if (!entry) throw usageError(unknownIdMessage(args.id, FINDING_IDS))
    this.render(renderEntry(entry, width))
    return explainEntryDocument(entry)
  }
}
