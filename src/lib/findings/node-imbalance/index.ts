import type {FindingModule} from '../types.js'
import {ENTRY, THRESHOLDS} from './catalog.js'
import {nodeImbalance} from './rule.js'

const finding: FindingModule = {...ENTRY, thresholds: THRESHOLDS, rule: nodeImbalance}
export default finding
