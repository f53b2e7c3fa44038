import type {FindingModule} from '../types.js'
import {ENTRY, THRESHOLDS} from './catalog.js'
import {idleTimeoutReconnect} from './rule.js'

const finding: FindingModule = {...ENTRY, thresholds: THRESHOLDS, rule: idleTimeoutReconnect}
export default finding
