import type {FindingModule} from '../types.js'
import {ENTRY, THRESHOLDS} from './catalog.js'
import {topologyRefreshStorm} from './rule.js'

const finding: FindingModule = {...ENTRY, thresholds: THRESHOLDS, rule: topologyRefreshStorm}
export default finding
