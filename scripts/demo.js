#!/usr/bin/env node
// The demo tells the incident end to end in about a minute, on a throw-away local cluster:
// a 3+3 lab with server `timeout 5` (the staging reproduction), `rcdiag probe`, then
// `rcdiag replay --idle 6s` through the redis-py-cluster behaviour and the fixed one, side by side.
// Only the built CLI is used; the lab is always stopped, also on Ctrl-C.
import {execFileSync, spawn} from 'node:child_process'
import {fileURLToPath} from 'node:url'

const run = fileURLToPath(new URL('../bin/run.js', import.meta.url))
const labName = `demo-${process.pid}`
const env = {...process.env}
delete env.NODE_ENV

const step = (text) => console.log(`\n=== ${text}\n`)
const cli = (args) =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, [run, ...args], {stdio: 'inherit', env})
    child.on('exit', (code) => resolve(code ?? 1))
  })

let started = false
let stopping
const stop = async () => {
  if (!started) return
  stopping ??= (async () => {
    step('4. rcdiag lab down')
    await cli(['lab', 'down', '--name', labName])
  })()
  return stopping
}
process.once('SIGINT', () => void stop().then(() => process.exit(130)))

let failed = false
try {
  step('1. rcdiag lab up --timeout 5: a local 3-master/3-replica cluster that closes connections idle for 5 s')
  const state = JSON.parse(
    execFileSync(process.execPath, [run, 'lab', 'up', '--name', labName, '--timeout', '5', '--json'], {encoding: 'utf8', env}),
  )
  started = true
  for (const node of state.nodes) console.log(`  ${node.role.padEnd(8)} ${node.address}  pid ${node.pid}`)
  const seed = state.seed ?? state.nodes[0].address

  step(`2. rcdiag probe ${seed}: config, clients, slowlog and cluster state of every node`)
  failed ||= (await cli(['probe', seed])) !== 0

  step(`3. rcdiag replay ${seed} --idle 6s --cycles 2 --client refresh-on-error --client single-flight`)
  console.log('   20 workers issue HMGET in bursts; between bursts the cluster sits idle for 6 s, longer than its timeout.')
  console.log("   The same schedule runs through redis-py-cluster 2.x's recovery (refresh-on-error) and the fix (single-flight).\n")
  failed ||=
    (await cli(['replay', seed, '--idle', '6s', '--cycles', '2', '--client', 'refresh-on-error', '--client', 'single-flight'])) !== 0
} catch (error) {
  failed = true
  console.error(`demo: ${error instanceof Error ? error.message.split('\n')[0] : error}`)
} finally {
  await stop()
}
process.exitCode = failed ? 1 : 0
