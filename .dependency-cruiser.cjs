/**
 * dependency-cruiser rules for rcdiag's layering of src/lib. Run with `npm run deps`.
 *
 * Layers, innermost first:
 *   shared/    leaf utilities (errors, constants, stats, version, redact)
 *   parse/     pure parsers of Redis replies
 *   redis/     the Redis-access layer: target, connections, failure classes, topology, slot table,
 *              fan-out, snapshots, SLOWLOG reader, key routing, long-lived sessions
 *   evidence/  what was observed, as plain data (may see redis/ types, never redis/ code)
 *   findings/  rules that name a cause from evidence (never see redis/ at all)
 *   render/, report/, explain/   output, built from evidence and findings only (and the features'
 *              own render.ts/report.ts files)
 *   probe/, replay/, slowlog/, lab/   the features that drive the layers above
 * and above src/lib: src/cli/ (the base command, shared flags: the only oclif-aware code besides the
 * commands, and the only place that exits) and src/commands/, thin oclif commands.
 *
 * Paths are matched as `(^|/)src/lib/x/`, not `^src/lib/x/`, so the same rules also bite on the
 * fixture tree in test/fixtures/dependency-rule (see test/unit/toolchain/dependency-rule.test.ts).
 * Folders that do not exist yet are fine: a rule on a path that matches nothing never fires.
 */

const lib = (folder) => `(^|/)src/lib/${folder}/`
const COMMANDS = '(^|/)src/commands/'
const CLI = '(^|/)src/cli/'
/** Output: the output folders, and the features' own renderers and report builders. */
const OUTPUT = [lib('render'), lib('report'), lib('explain'), '(^|/)src/lib/(probe|replay|slowlog|lab)/(render|report)\\.ts$']
const REPLAY_EVIDENCE = '(^|/)src/lib/replay/evidence\\.ts$'
const IOREDIS = ['(^|/)node_modules/ioredis/', '^ioredis(/|$)']
const OCLIF = ['(^|/)node_modules/@oclif/', '^@oclif/']
/** import type / export type / `import('x').T` vanish at compile time. */
const TYPE_ONLY = ['type-only', 'type-import']

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    // ---------------------------------------------------------------- layering of src/lib
    {
      name: 'shared-is-a-leaf',
      comment:
        'src/lib/shared holds leaf utilities that every layer may use; it may import only node builtins and other ' +
        'shared modules, so that using it never drags a layer (or an npm package) along.',
      severity: 'error',
      from: {path: lib('shared')},
      to: {pathNot: lib('shared'), dependencyTypesNot: ['core']},
    },
    {
      name: 'parse-is-pure',
      comment:
        'src/lib/parse turns Redis replies into data and is tested on captured fixtures alone: it may import only ' +
        'parse/ and shared/ (no I/O, no client, no npm package).',
      severity: 'error',
      from: {path: lib('parse')},
      to: {pathNot: [lib('parse'), lib('shared')]},
    },
    {
      name: 'redis-does-not-reach-up',
      comment:
        'src/lib/redis is the Redis-access layer under evidence, findings and the features; importing anything above ' +
        'it would make the layers a cycle and pull output or oclif into connection code.',
      severity: 'error',
      from: {path: lib('redis')},
      to: {
        path: [
          lib('evidence'),
          lib('findings'),
          lib('render'),
          lib('report'),
          lib('explain'),
          lib('probe'),
          lib('replay'),
          lib('slowlog'),
          lib('lab'),
          CLI,
          COMMANDS,
        ],
      },
    },
    {
      name: 'evidence-sees-redis-types-only',
      comment:
        'Evidence is plain data: it may name redis/ types (import type), but calling into redis/ would make ' +
        'evidence building do I/O and stop it being testable from captured snapshots.',
      severity: 'error',
      from: {path: lib('evidence')},
      to: {path: lib('redis'), dependencyTypesNot: TYPE_ONLY},
    },
    {
      name: 'evidence-not-to-upper-layers',
      comment:
        'Evidence sits under findings, output and the features: it must not import findings/, render/, report/, ' +
        'explain/, probe/, slowlog/, lab/, cli/ or commands/.',
      severity: 'error',
      from: {path: lib('evidence')},
      to: {
        path: [lib('findings'), lib('render'), lib('report'), lib('explain'), lib('probe'), lib('slowlog'), lib('lab'), CLI, COMMANDS],
      },
    },
    {
      name: 'evidence-replay-only-via-replay-evidence',
      comment:
        'From replay/, evidence may import only src/lib/replay/evidence.ts (the replay evidence types); the rest ' +
        'of replay/ drives clients and is a feature above evidence.',
      severity: 'error',
      from: {path: lib('evidence')},
      to: {path: lib('replay'), pathNot: REPLAY_EVIDENCE},
    },
    {
      name: 'findings-not-to-redis',
      comment:
        'A finding names a cause from evidence alone, so it can be tested on hand-made evidence: it must not ' +
        'import src/lib/redis in any way, type-only imports included.',
      severity: 'error',
      from: {path: lib('findings')},
      to: {path: lib('redis')},
    },
    {
      name: 'findings-not-to-upper-layers',
      comment:
        'Findings sit under output and the features: they must not import render/, report/, explain/, probe/, ' +
        'slowlog/, lab/, cli/ or commands/.',
      severity: 'error',
      from: {path: lib('findings')},
      to: {
        path: [lib('render'), lib('report'), lib('explain'), lib('probe'), lib('slowlog'), lib('lab'), CLI, COMMANDS],
      },
    },
    {
      name: 'findings-replay-only-via-replay-evidence',
      comment: 'From replay/, findings may import only src/lib/replay/evidence.ts (the replay evidence types).',
      severity: 'error',
      from: {path: lib('findings')},
      to: {path: lib('replay'), pathNot: REPLAY_EVIDENCE},
    },
    {
      name: 'findings-never-reach-redis',
      comment:
        'Not even through another module: whatever a finding imports, directly or further down, must not lead to ' +
        'src/lib/redis (a re-export would otherwise smuggle connection code into a rule).',
      severity: 'error',
      // a finding's co-located unit test may build evidence with test helpers that use evidence's own code
      from: {path: lib('findings'), pathNot: '\\.test\\.ts$'},
      to: {path: lib('redis'), reachable: true},
    },
    {
      name: 'output-not-to-redis',
      comment:
        "Output (render/, report/, explain/ and the features' render.ts and report.ts) formats evidence and " +
        'findings; a report never reaches back to the topology or a connection, so it must not import ' +
        'src/lib/redis in any way, type-only imports included.',
      severity: 'error',
      from: {path: OUTPUT},
      to: {path: lib('redis')},
    },
    {
      name: 'output-never-reaches-redis',
      comment: 'Nor through another module (a feature folder re-exporting a connection, say).',
      severity: 'error',
      from: {path: OUTPUT},
      to: {path: lib('redis'), reachable: true},
    },
    {
      name: 'cli-only-from-cli',
      comment:
        'src/cli and src/commands are the top of the tree: nothing in src/lib may import them, or library code ' +
        'would depend on flag parsing and oclif.',
      severity: 'error',
      from: {path: '(^|/)src/lib/'},
      to: {path: [CLI, COMMANDS]},
    },
    {
      name: 'oclif-only-in-cli',
      comment:
        'Only src/cli and src/commands may know oclif: src/lib throws RcdiagError values and returns data, so it ' +
        'runs and is tested without a command.',
      severity: 'error',
      from: {path: '(^|/)src/lib/'},
      to: {path: OCLIF},
    },
    {
      name: 'ioredis-only-in-redis-layer',
      comment:
        'ioredis is used only by the Redis-access layer src/lib/redis and by the replay model that measures the ' +
        'real ioredis Cluster client (src/lib/replay/models/ioredis.ts); everything else goes through redis/. ' +
        'Type-only imports count too: an ioredis type outside redis/ leaks the client into the layer.',
      severity: 'error',
      from: {path: '(^|/)src/', pathNot: [lib('redis'), '(^|/)src/lib/replay/models/ioredis\\.ts$']},
      to: {path: IOREDIS},
    },
    {
      name: 'commands-are-thin',
      comment:
        'A command parses flags, makes one call into src/lib and renders: it must not import ioredis or ' +
        'src/lib/redis (connections belong to the library, not to the command).',
      severity: 'error',
      from: {path: COMMANDS},
      to: {path: [lib('redis'), ...IOREDIS]},
    },

    // ---------------------------------------------------------------- hygiene
    {
      name: 'no-circular',
      comment: 'Import cycles make module initialisation order matter and blur the layering.',
      severity: 'error',
      from: {},
      to: {circular: true},
    },
    {
      name: 'not-to-dev-dep',
      comment:
        'src/ ships in the npm package and runs with production dependencies only: a devDependency imported from ' +
        'src/ breaks `npm install -g rcdiag`. Move the package to dependencies or keep it out of src/. ' +
        'Co-located *.test.ts files and type-only imports are exempt (neither reaches dist/ at run time).',
      severity: 'error',
      from: {path: '(^|/)src/', pathNot: '\\.test\\.ts$'},
      to: {dependencyTypes: ['npm-dev'], dependencyTypesNot: TYPE_ONLY},
    },
    {
      name: 'not-to-unresolvable',
      comment:
        'An import that cannot be resolved to a file on disk (a typo, a missing package, a NodeNext `.js` ' +
        'specifier with no matching `.ts`) fails at run time.',
      severity: 'error',
      from: {},
      to: {couldNotResolve: true},
    },
  ],

  options: {
    doNotFollow: {path: ['node_modules']},
    // Type-only imports vanish in the build; without this they would be invisible to the rules above.
    tsPreCompilationDeps: true,
    tsConfig: {fileName: 'tsconfig.json'},
    // NodeNext, as Node resolves at run time: sources import './x.js', which resolves to the ./x.ts source
    // (dependency-cruiser retries a `.js` specifier as `.ts`); packages resolve through their "exports" with
    // Node's ESM conditions (@oclif/core, ora and p-limit have no "main").
    enhancedResolveOptions: {
      extensions: ['.ts', '.js'],
      exportsFields: ['exports'],
      conditionNames: ['import', 'node', 'default'],
      mainFields: ['main'],
    },
    skipAnalysisNotInRules: true,
    reporterOptions: {
      text: {highlightFocused: true},
    },
  },
}
