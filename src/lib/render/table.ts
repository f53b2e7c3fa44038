import Table from 'cli-table3'

type Options = Omit<Table.TableConstructorOptions, 'head' | 'style'>

/**
 * The one table style of every human report: cli-table3's box with a rule between rows (a cell that
 * spans columns, such as an unreachable node's error, needs those rules to be drawn whole) and no
 * colours, so a pipe or a file gets plain text.
 */
export function makeTable(head: string[], options: Options = {}): Table.Table {
  return new Table({...options, head, style: {head: [], border: []}})
}
