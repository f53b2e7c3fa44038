/**
 * `rcdiag explain`: the findings catalog as a table, one entry as wrapped plain text, both as JSON
 * documents (schemas/explain.schema.json), and the message for an id the catalog does not know.
 * Everything here is a pure function of catalog entries and a width.
 */
import {nearestIds} from '../shared/nearest.js'
import {makeTable} from '../render/table.js'

import type {CatalogEntry, Severity} from '../findings/types.js'
import {SCHEMA_VERSION} from '../shared/version.js'

type Entry = Readonly<CatalogEntry>

export interface ExplainListDocument {
  schemaVersion: number
  command: 'explain'
  findings: Array<{id: string; title: string; severities: Severity[]}>
}

export interface ExplainEntryDocument {
  schemaVersion: number
  command: 'explain'
  finding: {id: string; title: string; severities: Severity[]; meaning: string; detection: string; remedy: string}
}

export const DEFAULT_WIDTH = 80
/** Prose wider than this is hard to read, however wide the terminal. */
const MAX_WIDTH = 100
const MIN_WIDTH = 40
const INDENT = '  '
/** Borders and cell padding of a three-column cli-table3 table. */
const TABLE_CHROME = 4 + 3 * 2

/** The width to wrap at: the terminal's, within readable bounds; 80 when not a terminal. */
export function wrapWidth(columns: number | undefined): number {
  return Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, columns && columns > 0 ? columns : DEFAULT_WIDTH))
}

/** "warning", or "info..critical" for an id that can take several severities. */
export function severityRange(severities: readonly Severity[]): string {
  if (severities.length === 0) return '-'
  return severities.length === 1 ? severities[0] : `${severities[0]}..${severities.at(-1)}`
}

export function explainListDocument(catalog: readonly Entry[]): ExplainListDocument {
  return {
    schemaVersion: SCHEMA_VERSION,
    command: 'explain',
    findings: catalog.map((entry) => ({id: entry.id, title: entry.title, severities: [...entry.severities]})),
  }
}

export function explainEntryDocument(entry: Entry): ExplainEntryDocument {
  const {id, title, severities, meaning, detection, remedy} = entry
  return {schemaVersion: SCHEMA_VERSION, command: 'explain', finding: {id, title, severities: [...severities], meaning, detection, remedy}}
}

/**
 * Every id with its severity range and title, in catalog order, then how to read one. Titles wrap
 * within their column; below about 66 columns the table is wider than `width` rather than unreadable.
 */
export function renderCatalog(catalog: readonly Entry[], width = DEFAULT_WIDTH): string {
  const idWidth = Math.max(2, ...catalog.map((e) => e.id.length))
  const severityWidth = Math.max('Severity'.length, ...catalog.map((e) => severityRange(e.severities).length))
  const titleWidth = Math.max(20, width - idWidth - severityWidth - TABLE_CHROME)
  // cli-table3's colWidths include the cell padding.
  const table = makeTable(['Id', 'Severity', 'Title'], {colWidths: [idWidth + 2, severityWidth + 2, titleWidth + 2], wordWrap: true})
  for (const entry of catalog) table.push([entry.id, severityRange(entry.severities), entry.title])
  return [
    `${catalog.length} findings rcdiag can report`,
    table.toString(),
    wrap('Run `rcdiag explain <id>` for what a finding means, how rcdiag detects it and how to fix it.', width),
  ].join('\n')
}

/** One entry: title, then what it means, how it is detected and how to fix it, wrapped to `width`. */
export function renderEntry(entry: Entry, width = DEFAULT_WIDTH): string {
  const section = (heading: string, text: string) => `${heading}\n${paragraphs(text, width, INDENT)}`
  return [
    `${entry.id} (severity: ${severityRange(entry.severities)})`,
    wrap(entry.title, width),
    section('What it means', entry.meaning),
    section('How rcdiag detects it', entry.detection),
    section('How to fix it', entry.remedy),
  ].join('\n\n')
}

/**
 * Words wrapped to `width`, every line prefixed with `indent`. A word longer than the width (a long
 * command or URL) gets a line of its own rather than being cut.
 */
export function wrap(text: string, width: number, indent = '', hangingIndent = indent): string {
  const words = text.split(/\s+/).filter(Boolean)
  const lines: string[] = []
  let line = ''
  let prefix = indent
  for (const word of words) {
    if (line && prefix.length + line.length + 1 + word.length > width) {
      lines.push(prefix + line)
      prefix = hangingIndent
      line = word
    } else {
      line = line ? `${line} ${word}` : word
    }
  }
  if (line) lines.push(prefix + line)
  return lines.join('\n')
}

/** Numbered choices in a text ("Pick one: (1) ... (2) ...") start lines of their own, wrapped under their text. */
function paragraphs(text: string, width: number, indent: string): string {
  return text
    .split(/\s+(?=\(\d\)\s)/)
    .map((part) => wrap(part, width, indent, /^\(\d\)\s/.test(part) ? `${indent}    ` : indent))
    .join('\n')
}

/** The one-line error for an unknown id: the nearest known ids, then where to see them all. */
export function unknownIdMessage(id: string, ids: readonly string[]): string {
  const nearest = nearestIds(id, ids, 3)
  const hint = nearest.length > 0 ? `; did you mean ${nearest.join(', ')}?` : ''
  return `unknown finding id "${id}"${hint} (\`rcdiag explain\` lists all ${ids.length})`
}
