import type {FindingModule} from '../types.js'
import {ENTRY, THRESHOLDS} from './catalog.js'
import {mixedVersions} from './rule.js'

const finding: FindingModule = {...ENTRY, thresholds: THRESHOLDS, rule: mixedVersions}
export default finding
