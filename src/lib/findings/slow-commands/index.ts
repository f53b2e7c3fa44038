import type {FindingModule} from '../types.js'
import {ENTRY, THRESHOLDS} from './catalog.js'
import {slowCommands} from './rule.js'

const finding: FindingModule = {...ENTRY, thresholds: THRESHOLDS, rule: slowCommands}
export default finding
