import type {FindingModule} from '../types.js'
import {ENTRY} from './catalog.js'
import {slotMigration} from './rule.js'

const finding: FindingModule = {...ENTRY, thresholds: {}, rule: slotMigration}
export default finding
