#!/usr/bin/env node
// The demo: a local lab cluster set up like the incident's staging reproduction (server `timeout 5`),
// an application's connection pool left idle, a client stampeding CLUSTER SLOTS, then `rcdiag probe`.
// Uses only the built CLI (bin/run.js) and ioredis; always stops the lab it started.
import {execFileSync, spawnSync} from 'node:child_process'
import {fileURLToPath} from 'node:url'

import {Redis} from 'ioredis'

const run = fileURLToPath(new URL('../bin/run.js', import.meta.url))
const labName = `demo-${process.pid}`
const cli = (args, opts = {}) => spawnSync(process.execPath, [run, ...args], {stdio: 'inherit', ...opts})
const step = (text) => console.log(`\n=== ${text}\n`)
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

let state
const pool = []
try {
  step('1. Start a throw-away 3-master/3-replica cluster with server timeout 5 s (rcdiag lab up)')
  state = JSON.parse(
    execFileSync(process.execPath, [run, 'lab', 'up', '--name', labName, '--timeout', '5', '--json'], {encoding: 'utf8'}),
  )
  const seed = state.nodes[0].address
  for (const node of state.nodes) console.log(`  ${node.role.padEnd(8)} ${node.address}  pid ${node.pid}`)

  step('2. An application opens a pool of 20 connections, uses them once, then goes quiet for 4 s')
  for (const node of state.nodes.filter((n) => n.role === 'master')) {
    const [host, port] = node.address.split(':')
    for (let i = 0; i < 7; i++) {
      const redis = new Redis({host, port: Number(port), connectionName: 'profile-service', protocol: 2, retryStrategy: () => null})
      redis.on('error', () => {})
      pool.push(redis)
    }
  }
  await Promise.all(pool.map((r) => r.ping()))
  await sleep(4000)

  step(`3. rcdiag probe ${seed}`)
  cli(['probe', seed])

  step(`4. A client refreshing its slot map on every reconnect (the stampede), and rcdiag probe ${seed} --sample 3s`)
  let stormRunning = true
  const storm = (async () => {
    while (stormRunning) {
      const [host, port] = state.nodes[1].address.split(':')
      const redis = new Redis({host, port: Number(port), protocol: 2, retryStrategy: () => null, lazyConnect: true})
      redis.on('error', () => {})
      try {
        await redis.connect()
        await redis.call('CLUSTER', 'SLOTS')
        await redis.call('CONFIG', 'GET', 'cluster-require-full-coverage')
      } catch {}
      redis.disconnect()
      await sleep(50)
    }
  })()
  // Run the CLI asynchronously so the storm keeps going while it samples.
  const {spawn} = await import('node:child_process')
  await new Promise((resolve) => spawn(process.execPath, [run, 'probe', seed, '--sample', '3s'], {stdio: 'inherit'}).on('exit', resolve))
  stormRunning = false
  await storm
} finally {
  for (const redis of pool) redis.disconnect()
  if (state) {
    step('5. Stop the lab (rcdiag lab down)')
    cli(['lab', 'down', '--name', labName])
  }
}
