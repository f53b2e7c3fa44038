import type {FindingModule} from '../types.js'
import {ENTRY, THRESHOLDS} from './catalog.js'
import {clientLimit} from './rule.js'

const finding: FindingModule = {...ENTRY, thresholds: THRESHOLDS, rule: clientLimit}
export default finding
