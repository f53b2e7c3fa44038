import type {FindingModule} from '../types.js'
import {ENTRY, THRESHOLDS} from './catalog.js'
import {clientSideLatency} from './rule.js'

const finding: FindingModule = {...ENTRY, thresholds: THRESHOLDS, rule: clientSideLatency}
export default finding
