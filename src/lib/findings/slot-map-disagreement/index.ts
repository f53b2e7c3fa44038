import type {FindingModule} from '../types.js'
import {ENTRY} from './catalog.js'
import {slotMapDisagreement} from './rule.js'

const finding: FindingModule = {...ENTRY, thresholds: {}, rule: slotMapDisagreement}
export default finding
