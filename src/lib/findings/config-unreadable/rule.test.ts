import {describe, expect, it} from 'vitest'

import {THRESHOLDS} from './catalog.js'
import {configUnreadable} from './rule.js'
import {healthyEvidence, withNodes} from '../../../../test/helpers/evidence-builder.js'

const refused = {check: 'config', command: 'CONFIG GET', reason: "ERR unknown command 'CONFIG', with args beginning with: 'GET'"}
const noSlowlog = {check: 'slowlog', command: 'SLOWLOG GET', reason: "NOPERM this user has no permissions to run the 'slowlog|get' command"}

describe('config-unreadable', () => {
  it('is silent when nothing was skipped', () => {
    expect(configUnreadable(healthyEvidence())).toBeUndefined()
  })

  it('is a warning when every reachable node refused CONFIG', () => {
    const ev = withNodes(healthyEvidence(), (n) => {
      n.skipped = [refused]
      n.config = {}
    })
    ev.nodes[5].reachable = false
    ev.nodes[5].skipped = []
    const f = configUnreadable(ev)!
    expect(f.severity).toBe('warning')
    expect(f.evidence[0]).toBe(`config (CONFIG GET) skipped on 5/5 reachable nodes: ${refused.reason}`)
    expect(f.evidence.join('\n')).toContain('idle-timeout-reconnect and tcp-keepalive-off could not be checked')
    expect(f.metrics).toMatchObject({nodesWithSkippedChecks: 5, nodesRefusingConfig: 5, reachableNodes: 5})
    expect(f.confidence).toBe(THRESHOLDS.confidence)
    expect(f.remedy).toContain('+config|get')
  })

  it('is info when only some checks on some nodes were skipped', () => {
    const ev = withNodes(
      healthyEvidence(),
      (n) => {
        n.skipped = [noSlowlog]
      },
      [0, 1],
    )
    const f = configUnreadable(ev)!
    expect(f.severity).toBe('info')
    expect(f.evidence[0]).toContain('slowlog (SLOWLOG GET) skipped on 2/6 reachable nodes: NOPERM')
    expect(f.nodes).toEqual(['127.0.0.1:7000', '127.0.0.1:7001'])
  })
})
