import type {FindingModule} from '../types.js'
import {ENTRY, THRESHOLDS} from './catalog.js'
import {configUnreadable} from './rule.js'

const finding: FindingModule = {...ENTRY, thresholds: THRESHOLDS, rule: configUnreadable}
export default finding
