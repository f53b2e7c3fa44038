import type {FindingModule} from '../types.js'
import {ENTRY, THRESHOLDS} from './catalog.js'
import {nodeBlocked} from './rule.js'

const finding: FindingModule = {...ENTRY, thresholds: THRESHOLDS, rule: nodeBlocked}
export default finding
