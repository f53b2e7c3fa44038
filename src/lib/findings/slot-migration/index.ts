import type {FindingModule} from '../types.js'
import {ENTRY, THRESHOLDS} from './catalog.js'
import {slotMigration} from './rule.js'

const finding: FindingModule = {...ENTRY, thresholds: THRESHOLDS, rule: slotMigration}
export default finding
