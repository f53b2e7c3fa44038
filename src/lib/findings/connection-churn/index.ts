import type {FindingModule} from '../types.js'
import {ENTRY, THRESHOLDS} from './catalog.js'
import {connectionChurn} from './rule.js'

const finding: FindingModule = {...ENTRY, thresholds: THRESHOLDS, rule: connectionChurn}
export default finding
