import {makeTable} from '../render/table.js'
import type {WatchEpisode, WatchReport} from './watch.js'

const LABELS: Record<string, string> = {
  topologyCallsPerSec: 'topology calls/s',
  newConnectionsPerSec: 'new connections/s',
  movedPerSec: 'MOVED/s',
  askPerSec: 'ASK/s',
  rejectedConnectionsPerSec: 'rejected connections/s',
  evictedKeysPerSec: 'evictions/s',
  slowlogEntriesPerSec: 'SLOWLOG entries/s',
  unreachableNodes: 'not answering',
  roleChanges: 'role change',
}

/** "topology calls/s 96 (normal 0) on 127.0.0.1:7001"; events without a rate just name the node. */
function peakText(metric: string, peak: WatchEpisode['peaks'][string]): string {
  const label = LABELS[metric] ?? (metric.startsWith('latency:') ? `latency event ${metric.slice(8)}` : metric)
  if (!metric.endsWith('PerSec')) return `${label} on ${peak.node}`
  return `${label} ${peak.value} (normal ${peak.baselineMedian}) on ${peak.node}`
}

/** One line per episode, as it closes: when, how long, what stood out, which finding it points to. */
export function renderEpisodeLine(episode: WatchEpisode): string {
  const seconds = ((episode.endMs - episode.startMs) / 1000).toFixed(2)
  const peaks = Object.entries(episode.peaks).map(([metric, peak]) => peakText(metric, peak))
  return (
    `${new Date(episode.startMs).toISOString()}  episode ${episode.index}: ${seconds} s, ${episode.nodes.length} node(s): ` +
    `${peaks.join('; ')}; see ${episode.matches.map((id) => `\`rcdiag explain ${id}\``).join(', ')}`
  )
}

const ENDED: Record<WatchReport['endedBy'], string> = {
  duration: '',
  interrupted: ' (stopped by Ctrl-C)',
  'max-episodes': ' (--max-episodes reached)',
  'fail-on': ' (stopped at the first episode at the --fail-on level)',
}

/** The summary at the end: how long, what it cost, and every episode. */
export function renderWatchSummary(report: WatchReport): string {
  const head =
    `rcdiag watch ${report.target}: ${report.nodes.length} nodes, ${report.intervals} intervals of ${report.intervalMs} ms over ` +
    `${(report.durationMs / 1000).toFixed(1)} s${ENDED[report.endedBy]}, ${report.episodes.length} episode(s); ` +
    `own cost ${report.ownCost.readsPerNodePerSec} pipelined reads (${report.ownCost.commandsPerNodePerSec} commands) per node per second`
  if (report.episodes.length === 0) return `${head}\n\nNo episode: nothing stood out from the recent normal of any rate.\n`
  const table = makeTable(['#', 'Start', 'Length s', 'Nodes', 'What stood out', 'Finding'])
  for (const e of report.episodes) {
    table.push([
      e.index,
      new Date(e.startMs).toISOString(),
      ((e.endMs - e.startMs) / 1000).toFixed(2),
      e.nodes.length,
      Object.entries(e.peaks)
        .map(([metric, peak]) => peakText(metric, peak))
        .join('\n'),
      e.matches.join('\n'),
    ])
  }
  return `${head}\n\nEpisodes\n${table.toString()}\n`
}
