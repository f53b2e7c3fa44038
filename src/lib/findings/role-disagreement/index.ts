import type {FindingModule} from '../types.js'
import {ENTRY, THRESHOLDS} from './catalog.js'
import {roleDisagreement} from './rule.js'

const finding: FindingModule = {...ENTRY, thresholds: THRESHOLDS, rule: roleDisagreement}
export default finding
