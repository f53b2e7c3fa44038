import Table from 'cli-table3'

type Options = Omit<Table.TableConstructorOptions, 'head' | 'style' | 'chars'>

/**
 * The one table style of every human report: no colours (a pipe or a file gets plain text), a rule
 * under the header and none between rows, so a cell that wraps continues under an empty cell.
 */
export function makeTable(head: string[], options: Options = {}): Table.Table {
  return new Table({
    ...options,
    head,
    style: {head: [], border: []},
    chars: {mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': ''},
  })
}
