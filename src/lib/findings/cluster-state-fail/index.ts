import type {FindingModule} from '../types.js'
import {ENTRY, THRESHOLDS} from './catalog.js'
import {clusterStateFail} from './rule.js'

const finding: FindingModule = {...ENTRY, thresholds: THRESHOLDS, rule: clusterStateFail}
export default finding
