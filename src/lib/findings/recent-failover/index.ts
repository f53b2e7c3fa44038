import type {FindingModule} from '../types.js'
import {ENTRY, THRESHOLDS} from './catalog.js'
import {recentFailover} from './rule.js'

const finding: FindingModule = {...ENTRY, thresholds: THRESHOLDS, rule: recentFailover}
export default finding
