import type {FindingModule} from '../types.js'
import {ENTRY, THRESHOLDS} from './catalog.js'
import {serverLatencyEvents} from './rule.js'

const finding: FindingModule = {...ENTRY, thresholds: THRESHOLDS, rule: serverLatencyEvents}
export default finding
