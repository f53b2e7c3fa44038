import type {FindingModule} from '../types.js'
import {ENTRY} from './catalog.js'
import {configUnreadable} from './rule.js'

const finding: FindingModule = {...ENTRY, thresholds: {}, rule: configUnreadable}
export default finding
