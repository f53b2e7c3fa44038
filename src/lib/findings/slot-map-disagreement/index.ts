import type {FindingModule} from '../types.js'
import {ENTRY, THRESHOLDS} from './catalog.js'
import {slotMapDisagreement} from './rule.js'

const finding: FindingModule = {...ENTRY, thresholds: THRESHOLDS, rule: slotMapDisagreement}
export default finding
