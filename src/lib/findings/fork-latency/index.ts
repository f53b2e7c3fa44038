import type {FindingModule} from '../types.js'
import {ENTRY, THRESHOLDS} from './catalog.js'
import {forkLatency} from './rule.js'

const finding: FindingModule = {...ENTRY, thresholds: THRESHOLDS, rule: forkLatency}
export default finding
