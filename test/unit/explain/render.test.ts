import {describe, expect, it} from 'vitest'

import {
  explainEntryDocument,
  explainListDocument,
  renderCatalog,
  renderEntry,
  severityRange,
  wrap,
  wrapWidth,
} from '../../../src/lib/explain/render.js'
import {FINDING_IDS, FINDINGS as CATALOG, findingById} from '../../../src/lib/findings/registry.js'

const catalogEntry = (id: string) => findingById(id)!
import {schemaErrors} from '../../helpers/schema.js'

const longestLine = (text: string) => Math.max(...text.split('\n').map((line) => line.length))
/** A word that cannot be broken (a command, a setting) may overflow; prose may not. */
const longestWord = (text: string) => Math.max(...text.split(/\s+/).map((word) => word.length))

describe('renderCatalog', () => {
  const text = renderCatalog(CATALOG, 100)

  it('lists every catalog id in catalog order, with its severity range and title, then the hint', () => {
    const positions = CATALOG.map((entry) => text.indexOf(`│ ${entry.id} `))
    expect(positions.every((p) => p >= 0)).toBe(true)
    expect(positions).toEqual([...positions].sort((a, b) => a - b))
    expect(text).toContain(`${CATALOG.length} findings rcdiag can report`)
    expect(text).toContain('info..critical')
    expect(text).toMatch(/│ idle-timeout-reconnect\s+│ warning\s+│ Server timeout closes idle/)
    expect(text.trimEnd().split('\n').at(-1)).toContain('rcdiag explain <id>')
  })

  it('fits the width and uses no colours', () => {
    for (const width of [70, 80, 100]) expect(longestLine(renderCatalog(CATALOG, width))).toBeLessThanOrEqual(width)
    expect(text).not.toContain('\x1b')
  })
})

describe('renderEntry', () => {
  it.each(FINDING_IDS.map((id: string) => [id]))('%s: title, meaning, detection and remedy, wrapped', (id) => {
    const entry = catalogEntry(id)
    const text = renderEntry(entry, 80)
    expect(text.split('\n')[0]).toBe(`${id} (severity: ${severityRange(entry.severities)})`)
    for (const heading of ['What it means', 'How rcdiag detects it', 'How to fix it']) expect(text).toContain(`\n\n${heading}\n  `)
    // Nothing lost or reordered in the wrapping.
    const flat = text.replace(/\s+/g, ' ')
    for (const part of [entry.title, entry.meaning, entry.detection, entry.remedy]) expect(flat).toContain(part.replace(/\s+/g, ' '))
    expect(longestLine(text)).toBeLessThanOrEqual(Math.max(80, 6 + longestWord(text)))
    expect(text).not.toContain('\x1b')
  })

  it('puts numbered choices on lines of their own, continuation lines hanging under the text', () => {
    const text = renderEntry(catalogEntry('idle-timeout-reconnect'), 80)
    const fix = text.slice(text.indexOf('How to fix it'))
    expect(fix).toMatch(/\n {2}Pick one:\n {2}\(1\) `CONFIG SET timeout 0`/)
    expect(fix).toMatch(/\n {2}\(2\) Make the client/)
    expect(fix).toMatch(/\n {2}\(3\) On "connection closed by server"/)
    expect(fix).toMatch(/\n {6}\S/)
  })
})

describe('wrap and wrapWidth', () => {
  it('wraps on words with an indent and a hanging indent', () => {
    expect(wrap('aaa bbb ccc ddd', 9, '  ', '    ')).toBe('  aaa bbb\n    ccc\n    ddd')
    expect(wrap('  spaced   out  ', 80)).toBe('spaced out')
    expect(wrap('x averyveryverylongword y', 10)).toBe('x\naveryveryverylongword\ny')
    expect(wrap('', 10)).toBe('')
  })

  it('takes the terminal width within readable bounds, 80 without a terminal', () => {
    expect(wrapWidth(undefined)).toBe(80)
    expect(wrapWidth(0)).toBe(80)
    expect(wrapWidth(20)).toBe(40)
    expect(wrapWidth(90)).toBe(90)
    expect(wrapWidth(300)).toBe(100)
  })

  it('shows severity ranges', () => {
    expect(severityRange(['warning'])).toBe('warning')
    expect(severityRange(['info', 'warning', 'critical'])).toBe('info..critical')
  })
})

describe('JSON documents', () => {
  it('the list: every id with its title and severities, valid against the schema', () => {
    const doc = explainListDocument(CATALOG)
    expect(doc).toMatchObject({schemaVersion: 1, command: 'explain'})
    expect(doc.findings.map((f) => f.id)).toEqual([...FINDING_IDS])
    expect(doc.findings[0]).toEqual({id: CATALOG[0].id, title: CATALOG[0].title, severities: [...CATALOG[0].severities]})
    expect(schemaErrors('explain.schema.json', doc)).toBe('')
  })

  it.each(FINDING_IDS.map((id: string) => [id]))('%s: the entry document is valid against the schema', (id) => {
    const doc = explainEntryDocument(catalogEntry(id))
    const {id: _id, title, severities, meaning, detection, remedy} = catalogEntry(id)
    expect(doc.finding).toEqual({id, title, severities: [...severities], meaning, detection, remedy})
    expect(schemaErrors('explain.schema.json', doc)).toBe('')
  })

  it('the schema refuses a document that is neither shape', () => {
    expect(schemaErrors('explain.schema.json', {schemaVersion: 1, command: 'explain'})).not.toBe('')
    const both = {...explainListDocument(CATALOG), finding: explainEntryDocument(CATALOG[0]).finding}
    expect(schemaErrors('explain.schema.json', both)).not.toBe('')
  })
})
