import {Flags} from '@oclif/core'

import {errorMessage} from '../lib/shared/errors.js'
import {parseDurationMs} from './duration.js'

/** A flag that takes "500ms", "10s", "5m" and yields milliseconds; bad input is a usage error. */
export const durationFlag = Flags.custom<number>({
  helpValue: '<duration>',
  async parse(input) {
    try {
      return parseDurationMs(input)
    } catch (error) {
      throw new Error(errorMessage(error))
    }
  },
})
