import type {FindingModule} from '../types.js'
import {ENTRY, THRESHOLDS} from './catalog.js'
import {announcedAddresses} from './rule.js'

const finding: FindingModule = {...ENTRY, thresholds: THRESHOLDS, rule: announcedAddresses}
export default finding
