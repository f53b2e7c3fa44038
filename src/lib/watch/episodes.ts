/**
 * Consecutive anomalous intervals form one episode: it opens at the first, grows while intervals
 * stay anomalous, and closes at the first quiet one, returned then with its span, nodes and peaks.
 */

export interface Anomaly {
  /** e.g. "topologyCallsPerSec" */
  metric: string
  node: string
  value: number
  /** the recent normal it stood out from */
  baselineMedian: number
}

export interface Episode {
  startMs: number
  endMs: number
  intervals: number
  nodes: string[]
  /** metric → the highest value seen during the episode, and the normal before it */
  peaks: Record<string, {value: number; baselineMedian: number; node: string}>
}

export class EpisodeTracker {
  private open: Episode | undefined

  /** One interval's anomalies (empty: a quiet interval). Returns the episode this interval closed, if any. */
  feed(intervalStartMs: number, intervalEndMs: number, anomalies: readonly Anomaly[]): Episode | undefined {
    if (anomalies.length === 0) {
      const closed = this.open
      this.open = undefined
      return closed
    }
    const episode = (this.open ??= {startMs: intervalStartMs, endMs: intervalEndMs, intervals: 0, nodes: [], peaks: {}})
    episode.endMs = intervalEndMs
    episode.intervals++
    for (const anomaly of anomalies) {
      if (!episode.nodes.includes(anomaly.node)) episode.nodes.push(anomaly.node)
      const peak = episode.peaks[anomaly.metric]
      if (!peak || anomaly.value > peak.value) {
        episode.peaks[anomaly.metric] = {value: anomaly.value, baselineMedian: anomaly.baselineMedian, node: anomaly.node}
      }
    }
    return undefined
  }

  /** The episode still open at the end of the watch (Ctrl-C, --duration), closed as it stands. */
  flush(): Episode | undefined {
    const open = this.open
    this.open = undefined
    return open
  }
}
