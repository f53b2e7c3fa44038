import type {FindingModule} from '../types.js'
import {ENTRY} from './catalog.js'
import {clusterStateFail} from './rule.js'

const finding: FindingModule = {...ENTRY, thresholds: {}, rule: clusterStateFail}
export default finding
