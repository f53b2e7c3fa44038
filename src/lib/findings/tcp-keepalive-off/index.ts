import type {FindingModule} from '../types.js'
import {ENTRY, THRESHOLDS} from './catalog.js'
import {tcpKeepaliveOff} from './rule.js'

const finding: FindingModule = {...ENTRY, thresholds: THRESHOLDS, rule: tcpKeepaliveOff}
export default finding
