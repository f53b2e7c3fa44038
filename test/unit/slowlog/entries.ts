import {entryPattern, commandName} from '../../../src/lib/parse/command-pattern.js'
import type {TimelineEntry} from '../../../src/lib/slowlog/types.js'

/** A timeline entry for tests: only what the test cares about needs saying. */
export function entry(partial: Partial<TimelineEntry> & {args?: string[]}): TimelineEntry {
  const args = partial.args ?? ['get', 'k:1']
  const timestamp = partial.timestamp ?? 1_700_000_000
  return {
    node: '127.0.0.1:7000',
    id: 0,
    durationUs: 100,
    clientAddr: '10.0.0.5:50000',
    clientName: '',
    ...partial,
    timestamp,
    time: new Date(timestamp * 1000).toISOString(),
    command: commandName(args),
    pattern: entryPattern(args),
    args,
  }
}
