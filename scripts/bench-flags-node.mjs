// bench-flags-node.mjs: posthog-node's local flag evaluation over NDJSON contexts, for
// scripts/bench-flags.sh. Usage: node bench-flags-node.mjs HOST CONTEXTS.ndjson [WARM_ROUNDS]
// Loads the definitions from HOST (a loopback server), evaluates every context with
// getAllFlagsAndPayloads(..., {onlyEvaluateLocally: true}) WARM_ROUNDS times untimed, then once
// timed, and prints {"contexts", "seconds", "contexts_per_s", "cpu_seconds", "flags"} on stdout.
import { readFileSync } from 'node:fs'
import { PostHog } from 'posthog-node'

const [host, contextsPath, warmArg] = process.argv.slice(2)
const warmRounds = Number(warmArg ?? 3)
const contexts = readFileSync(contextsPath, 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line))

const client = new PostHog('phc_bench_flags_key', {
  host,
  personalApiKey: 'phx_bench_flags_personal',
  featureFlagsPollingInterval: 3600000,
  flushAt: 1000000,
  flushInterval: 0,
  disableGeoip: true,
})

async function round() {
  let flags = 0
  for (const c of contexts) {
    const result = await client.getAllFlagsAndPayloads(c.distinct_id, {
      groups: c.groups ?? {},
      personProperties: c.person_properties ?? {},
      groupProperties: c.group_properties ?? {},
      onlyEvaluateLocally: true,
    })
    flags += Object.keys(result.featureFlags ?? {}).length
  }
  return flags
}

const ready = await client.waitForLocalEvaluationReady(30000)
if (!ready) {
  console.error('posthog-node: definitions not loaded')
  process.exit(2)
}
for (let i = 0; i < warmRounds; i++) await round()
const cpuStart = process.cpuUsage()
const start = process.hrtime.bigint()
const flags = await round()
const seconds = Number(process.hrtime.bigint() - start) / 1e9
const cpu = process.cpuUsage(cpuStart)
const cpuSeconds = (cpu.user + cpu.system) / 1e6
console.log(
  JSON.stringify({ contexts: contexts.length, seconds, contexts_per_s: contexts.length / seconds, cpu_seconds: cpuSeconds, flags })
)
await client.shutdown(1000)
process.exit(0)
