import type {FindingModule} from '../types.js'
import {ENTRY, THRESHOLDS} from './catalog.js'
import {networkRtt} from './rule.js'

const finding: FindingModule = {...ENTRY, thresholds: THRESHOLDS, rule: networkRtt}
export default finding
