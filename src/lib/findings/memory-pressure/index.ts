import type {FindingModule} from '../types.js'
import {ENTRY, THRESHOLDS} from './catalog.js'
import {memoryPressure} from './rule.js'

const finding: FindingModule = {...ENTRY, thresholds: THRESHOLDS, rule: memoryPressure}
export default finding
