import type {Finding} from '../findings/types.js'

const LABEL: Record<Finding['severity'], string> = {critical: 'CRITICAL', warning: 'WARNING', info: 'info'}

/** What to do when nothing server-side explains the latency, by where the report comes from. */
const NEXT = {
  cluster:
    'Next: run `rcdiag replay` to measure client-side behaviour across an idle gap, and check the network between clients and nodes.',
  // replay models cluster clients: never suggest it for a standalone server
  standalone:
    "Next: compare the clients' idle times with the server `timeout` (Clients column), and check the network between clients and the server.",
  replay: "Next: look at the client side (the models' tables above) and the network between clients and nodes.",
} as const

/** The one sentence a paged engineer reads first. */
export function headline(findings: Finding[], context: keyof typeof NEXT = 'cluster'): string {
  const top = findings.find((f) => f.severity !== 'info')
  if (top) return `Most likely cause: ${top.title} [${top.id}]`
  return `Nothing server-side explains intermittent latency: no warning or critical finding. ${NEXT[context]}`
}

export function renderFindings(findings: Finding[]): string {
  if (findings.length === 0) return 'Findings: none.'
  const blocks = findings.map((f, index) => {
    const lines = [`${index + 1}. [${LABEL[f.severity]}] ${f.title}`, `   id: ${f.id}   confidence: ${f.confidence.toFixed(2)}`]
    for (const fact of f.evidence) lines.push(`   - ${fact}`)
    lines.push(`   Fix: ${f.remedy}`)
    return lines.join('\n')
  })
  return ['Findings (most likely first):', ...blocks].join('\n\n')
}
