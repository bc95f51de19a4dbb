/**
 * Strict structural validation of Kubernetes manifests (src/api/schema), as
 * the API server's strict field validation / strict decoding reports it.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { formatFieldError, type FieldError } from '../../src/api/errors.ts';
import {
  knownKind,
  knownKinds,
  SchemaError,
  strictDecodingMessage,
  validateAgainst,
  validateManifestShape,
} from '../../src/api/schema/index.ts';
import generated from '../../src/api/schema/generated.json' with { type: 'json' };
import { MODELLED_KINDS, VALID_MANIFESTS } from './schema.fixtures.ts';

type Obj = Record<string, unknown>;

const manifests: Obj[] = parseAllDocuments(VALID_MANIFESTS).map((d) => d.toJS() as Obj);

function manifest(apiVersion: string, kind: string): Obj {
  const m = manifests.find((x) => x['apiVersion'] === apiVersion && x['kind'] === kind);
  if (!m) throw new Error(`no fixture for ${apiVersion} ${kind}`);
  return structuredClone(m);
}

function yaml(text: string): Obj {
  return parseAllDocuments(text)[0]!.toJS() as Obj;
}

describe('valid manifests of every modelled kind pass', () => {
  it.each(MODELLED_KINDS.map(([v, k]) => [`${v} ${k}`, v, k] as const))('%s', (_name, apiVersion, kind) => {
    expect(knownKind(apiVersion, kind)).toBe(true);
    const errs = validateManifestShape(manifest(apiVersion, kind));
    expect(errs.map(formatFieldError)).toEqual([]);
  });

  it('every fixture is a known kind', () => {
    for (const m of manifests) expect(knownKind(m['apiVersion'] as string, m['kind'] as string)).toBe(true);
  });

  it('list kinds and v1 List check every item', () => {
    const pods = [manifest('v1', 'Pod'), manifest('v1', 'Pod')];
    expect(validateManifestShape({ apiVersion: 'v1', kind: 'PodList', metadata: { resourceVersion: '1' }, items: pods })).toEqual([]);
    expect(validateManifestShape({ apiVersion: 'v1', kind: 'List', items: manifests })).toEqual([]);
    const bad = manifest('apps/v1', 'Deployment');
    (bad['spec'] as Obj)['replica'] = 3;
    const errs = validateManifestShape({ apiVersion: 'v1', kind: 'List', items: [manifest('v1', 'Pod'), bad] });
    expect(errs).toEqual([{ path: 'items[1].spec.replica', type: 'FieldValueUnknown', detail: 'did you mean "replicas"?' }]);
  });

  it('accepts fields upstream added after v1.30 (pod-level resources, image volumes)', () => {
    const pod = yaml(`
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  resources: {requests: {cpu: 1}, limits: {cpu: 2}}
  securityContext: {supplementalGroupsPolicy: Strict, seLinuxChangePolicy: MountOption}
  containers:
  - name: c
    image: x
    lifecycle: {stopSignal: SIGUSR1}
  volumes:
  - name: img
    image: {reference: "quay.io/crio/artifact:v1", pullPolicy: IfNotPresent}
`);
    expect(validateManifestShape(pod)).toEqual([]);
  });

  it('accepts null for any field, as Go decodes it to the zero value', () => {
    const pod = manifest('v1', 'Pod');
    (pod['metadata'] as Obj)['creationTimestamp'] = null;
    (pod['spec'] as Obj)['nodeName'] = null;
    (pod['spec'] as Obj)['tolerations'] = null;
    expect(validateManifestShape(pod)).toEqual([]);
  });

  it('does not require "required" members inside status (written by components)', () => {
    const node = manifest('v1', 'Node');
    // nodeInfo lacks bootID, machineID, ... which the OpenAPI lists as required.
    expect(validateManifestShape(node)).toEqual([]);
    const pod = manifest('v1', 'Pod');
    pod['status'] = { containerStatuses: [{ name: 'app' }] };
    expect(validateManifestShape(pod)).toEqual([]);
  });

  it('StatefulSet serviceName is optional (kubernetes/kubernetes#130233)', () => {
    const sts = manifest('apps/v1', 'StatefulSet');
    expect((sts['spec'] as Obj)['serviceName']).toBeUndefined();
    expect(validateManifestShape(sts)).toEqual([]);
  });

  it('gives [] for kinds without a schema and for non-objects', () => {
    expect(knownKind('example.com/v1', 'Widget')).toBe(false);
    expect(knownKind('apps/v1beta1', 'Deployment')).toBe(false);
    expect(validateManifestShape({ apiVersion: 'example.com/v1', kind: 'Widget', spec: { anything: 1 } })).toEqual([]);
    expect(validateManifestShape({ kind: 'Pod', spec: 3 })).toEqual([]);
    expect(validateManifestShape(null)).toEqual([]);
    expect(validateManifestShape([1, 2])).toEqual([]);
    expect(validateManifestShape('Pod')).toEqual([]);
  });

  it('lists the known kinds sorted, including the component configurations', () => {
    const kinds = knownKinds().map((k) => `${k.apiVersion} ${k.kind}`);
    expect(kinds).toEqual([...kinds].sort());
    expect(kinds).toContain('kubescheduler.config.k8s.io/v1 KubeSchedulerConfiguration');
    expect(kinds).toContain('kubelet.config.k8s.io/v1beta1 KubeletConfiguration');
    for (const [v, k] of MODELLED_KINDS) expect(kinds).toContain(`${v} ${k}`);
  });
});

interface BrokenCase {
  name: string;
  base: readonly [string, string];
  mutate: (o: Obj) => void;
  want: FieldError[];
}

function at(o: Obj, ...steps: Array<string | number>): Obj {
  let cur: unknown = o;
  for (const s of steps) cur = (cur as Record<string | number, unknown>)[s];
  return cur as Obj;
}

const broken: BrokenCase[] = [
  {
    name: 'misspelt container field (kubectl --validate=strict: unknown field)',
    base: ['v1', 'Pod'],
    mutate: (o) => (at(o, 'spec', 'containers', 0)['imagePullPolice'] = 'Always'),
    want: [{ path: 'spec.containers[0].imagePullPolice', type: 'FieldValueUnknown', detail: 'did you mean "imagePullPolicy"?' }],
  },
  {
    name: 'Go field name casing is not accepted (sigs.k8s.io/json is case-sensitive)',
    base: ['v1', 'Pod'],
    mutate: (o) => {
      const port = at(o, 'spec', 'containers', 0, 'ports', 0);
      port['ContainerPort'] = port['containerPort'];
      delete port['containerPort'];
    },
    want: [
      { path: 'spec.containers[0].ports[0].ContainerPort', type: 'FieldValueUnknown', detail: 'did you mean "containerPort"?' },
      { path: 'spec.containers[0].ports[0].containerPort', type: 'Required', detail: '' },
    ],
  },
  {
    name: 'unknown top-level field',
    base: ['apps/v1', 'Deployment'],
    mutate: (o) => (o['specs'] = {}),
    want: [{ path: 'specs', type: 'FieldValueUnknown', detail: 'did you mean "spec"?' }],
  },
  {
    name: 'unknown field with no close match',
    base: ['apps/v1', 'Deployment'],
    mutate: (o) => (at(o, 'spec', 'template', 'spec')['gpuCount'] = 2),
    want: [{ path: 'spec.template.spec.gpuCount', type: 'FieldValueUnknown', detail: '' }],
  },
  {
    name: 'misspelt resources key deep in a template',
    base: ['apps/v1', 'Deployment'],
    mutate: (o) => {
      const r = at(o, 'spec', 'template', 'spec', 'containers', 0, 'resources');
      r['requets'] = r['requests'];
      delete r['requests'];
    },
    want: [{ path: 'spec.template.spec.containers[0].resources.requets', type: 'FieldValueUnknown', detail: 'did you mean "requests"?' }],
  },
  {
    name: 'replicas as a string (json: cannot unmarshal string into int32)',
    base: ['apps/v1', 'Deployment'],
    mutate: (o) => (at(o, 'spec')['replicas'] = '3'),
    want: [{ path: 'spec.replicas', type: 'TypeInvalid', value: '3', detail: 'expected integer, got string' }],
  },
  {
    name: 'replicas with a fraction',
    base: ['apps/v1', 'Deployment'],
    mutate: (o) => (at(o, 'spec')['replicas'] = 1.5),
    want: [{ path: 'spec.replicas', type: 'TypeInvalid', value: 1.5, detail: 'expected integer, got number' }],
  },
  {
    name: 'int32 overflow',
    base: ['v1', 'Pod'],
    mutate: (o) => (at(o, 'spec')['priority'] = 2 ** 31),
    want: [
      { path: 'spec.priority', type: 'TypeInvalid', value: 2147483648, detail: 'expected a 32-bit integer (-2147483648 to 2147483647)' },
    ],
  },
  {
    name: 'int64 fields take values beyond int32',
    base: ['v1', 'Pod'],
    mutate: (o) => {
      at(o, 'spec')['terminationGracePeriodSeconds'] = 2 ** 40;
      at(o, 'spec', 'securityContext')['runAsUser'] = 2 ** 33;
    },
    want: [],
  },
  {
    name: 'label value as a number (labels are map[string]string)',
    base: ['v1', 'Pod'],
    mutate: (o) => (at(o, 'metadata', 'labels')['version'] = 1),
    want: [{ path: 'metadata.labels[version]', type: 'TypeInvalid', value: 1, detail: 'expected string, got integer' }],
  },
  {
    name: 'env value as a number',
    base: ['v1', 'Pod'],
    mutate: (o) => (at(o, 'spec', 'containers', 0, 'env', 0)['value'] = 8080),
    want: [{ path: 'spec.containers[0].env[0].value', type: 'TypeInvalid', value: 8080, detail: 'expected string, got integer' }],
  },
  {
    name: 'quantity as a boolean',
    base: ['v1', 'Pod'],
    mutate: (o) => (at(o, 'spec', 'containers', 0, 'resources', 'requests')['cpu'] = true),
    want: [
      {
        path: 'spec.containers[0].resources.requests[cpu]',
        type: 'TypeInvalid',
        value: true,
        detail: 'expected quantity (string or number), got boolean',
      },
    ],
  },
  {
    name: 'boolean given as a string',
    base: ['v1', 'Pod'],
    mutate: (o) => (at(o, 'spec')['hostNetwork'] = 'true'),
    want: [{ path: 'spec.hostNetwork', type: 'TypeInvalid', value: 'true', detail: 'expected boolean, got string' }],
  },
  {
    name: 'list given as an object (composite values are not echoed)',
    base: ['v1', 'Pod'],
    mutate: (o) => (at(o, 'spec')['tolerations'] = { key: 'a' }),
    want: [{ path: 'spec.tolerations', type: 'TypeInvalid', value: undefined, detail: 'expected array, got object' }],
  },
  {
    name: 'object given as a string',
    base: ['v1', 'Pod'],
    mutate: (o) => (o['metadata'] = 'web'),
    want: [{ path: 'metadata', type: 'TypeInvalid', value: 'web', detail: 'expected object, got string' }],
  },
  {
    name: 'IntOrString given a boolean',
    base: ['apps/v1', 'Deployment'],
    mutate: (o) => (at(o, 'spec', 'strategy', 'rollingUpdate')['maxSurge'] = true),
    want: [
      { path: 'spec.strategy.rollingUpdate.maxSurge', type: 'TypeInvalid', value: true, detail: 'expected integer or string, got boolean' },
    ],
  },
  {
    name: 'IntOrString given a fraction',
    base: ['policy/v1', 'PodDisruptionBudget'],
    mutate: (o) => (at(o, 'spec')['minAvailable'] = 0.5),
    want: [{ path: 'spec.minAvailable', type: 'TypeInvalid', value: 0.5, detail: 'expected integer, got number' }],
  },
  {
    name: 'missing containers (PodSpec.containers is required)',
    base: ['v1', 'Pod'],
    mutate: (o) => delete at(o, 'spec')['containers'],
    want: [{ path: 'spec.containers', type: 'Required', detail: '' }],
  },
  {
    name: 'container without a name',
    base: ['apps/v1', 'Deployment'],
    mutate: (o) => delete at(o, 'spec', 'template', 'spec', 'containers', 0)['name'],
    want: [{ path: 'spec.template.spec.containers[0].name', type: 'Required', detail: '' }],
  },
  {
    name: 'null for a required field counts as missing',
    base: ['v1', 'Service'],
    mutate: (o) => (at(o, 'spec', 'ports', 0)['port'] = null),
    want: [{ path: 'spec.ports[0].port', type: 'Required', detail: '' }],
  },
  {
    name: 'CronJob without jobTemplate',
    base: ['batch/v1', 'CronJob'],
    mutate: (o) => delete at(o, 'spec')['jobTemplate'],
    want: [{ path: 'spec.jobTemplate', type: 'Required', detail: '' }],
  },
  {
    name: 'HPA target utilization as a percentage string',
    base: ['autoscaling/v2', 'HorizontalPodAutoscaler'],
    mutate: (o) => (at(o, 'spec', 'metrics', 0, 'resource', 'target')['averageUtilization'] = '70%'),
    want: [
      {
        path: 'spec.metrics[0].resource.target.averageUtilization',
        type: 'TypeInvalid',
        value: '70%',
        detail: 'expected integer, got string',
      },
    ],
  },
  {
    name: 'autoscaling/v1 has no metrics field',
    base: ['autoscaling/v1', 'HorizontalPodAutoscaler'],
    mutate: (o) => (at(o, 'spec')['metrics'] = []),
    want: [{ path: 'spec.metrics', type: 'FieldValueUnknown', detail: '' }],
  },
  {
    name: 'Job exit codes must be integers',
    base: ['batch/v1', 'Job'],
    mutate: (o) => (at(o, 'spec', 'podFailurePolicy', 'rules', 0, 'onExitCodes')['values'] = [42, 'x']),
    want: [
      { path: 'spec.podFailurePolicy.rules[0].onExitCodes.values[1]', type: 'TypeInvalid', value: 'x', detail: 'expected integer, got string' },
    ],
  },
  {
    name: 'PriorityClass value is required',
    base: ['scheduling.k8s.io/v1', 'PriorityClass'],
    mutate: (o) => delete o['value'],
    want: [{ path: 'value', type: 'Required', detail: '' }],
  },
  {
    name: 'unknown fields inside status are still unknown',
    base: ['v1', 'Node'],
    mutate: (o) => (at(o, 'status')['capacityy'] = {}),
    want: [{ path: 'status.capacityy', type: 'FieldValueUnknown', detail: 'did you mean "capacity"?' }],
  },
  {
    name: 'several problems in one object, in document order',
    base: ['v1', 'Pod'],
    mutate: (o) => {
      at(o, 'metadata')['nmae'] = 'x';
      at(o, 'spec', 'containers', 0)['image'] = 7;
      delete at(o, 'spec', 'containers', 0)['name'];
    },
    want: [
      { path: 'metadata.nmae', type: 'FieldValueUnknown', detail: 'did you mean "name"?' },
      { path: 'spec.containers[0].image', type: 'TypeInvalid', value: 7, detail: 'expected string, got integer' },
      { path: 'spec.containers[0].name', type: 'Required', detail: '' },
    ],
  },
];

describe('broken manifests report the exact field path', () => {
  it.each(broken.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const obj = manifest(c.base[0], c.base[1]);
    c.mutate(obj);
    expect(validateManifestShape(obj)).toEqual(c.want);
  });

  it('renders readably through formatFieldError', () => {
    const pod = manifest('v1', 'Pod');
    at(pod, 'spec', 'containers', 0)['imagePullPolice'] = 'Always';
    at(pod, 'spec')['replicas'] = 3;
    at(pod, 'spec', 'containers', 0, 'ports', 0)['containerPort'] = '80';
    expect(validateManifestShape(pod).map(formatFieldError)).toEqual([
      'spec.containers[0].ports[0].containerPort: Invalid value: "80": expected integer, got string',
      'spec.containers[0].imagePullPolice: Unknown field: did you mean "imagePullPolicy"?',
      'spec.replicas: Unknown field',
    ]);
  });

  it('strictDecodingMessage uses the API server wording', () => {
    const pod = manifest('v1', 'Pod');
    at(pod, 'spec', 'containers', 0)['imagePullPolice'] = 'Always';
    at(pod, 'spec')['replicas'] = 3;
    at(pod, 'spec')['hostPID'] = 'yes';
    expect(strictDecodingMessage(validateManifestShape(pod))).toBe(
      'strict decoding error: unknown field "spec.containers[0].imagePullPolice", unknown field "spec.replicas"',
    );
    expect(strictDecodingMessage([])).toBeUndefined();
  });
});

describe('validateAgainst', () => {
  it('checks a ResourceList (e.g. a scenario node capacity)', () => {
    expect(validateAgainst('ResourceList', { cpu: 4, memory: '16Gi', 'nvidia.com/gpu': '1' }, 'nodes[0].capacity')).toEqual([]);
    expect(validateAgainst('ResourceList', { cpu: [4] }, 'nodes[0].capacity')).toEqual([
      { path: 'nodes[0].capacity[cpu]', type: 'TypeInvalid', value: undefined, detail: 'expected quantity (string or number), got array' },
    ]);
    expect(validateAgainst('ResourceList', 'cpu=4', 'capacity')).toEqual([
      { path: 'capacity', type: 'TypeInvalid', value: 'cpu=4', detail: 'expected object, got string' },
    ]);
  });

  it('checks a PodTemplateSpec under a path', () => {
    const tpl = structuredClone(at(manifest('apps/v1', 'Deployment'), 'spec', 'template'));
    expect(validateAgainst('PodTemplateSpec', tpl, 'workloads[0].template')).toEqual([]);
    (tpl['spec'] as Obj)['container'] = [];
    expect(validateAgainst('PodTemplateSpec', tpl, 'workloads[0].template')).toEqual([
      { path: 'workloads[0].template.spec.container', type: 'FieldValueUnknown', detail: 'did you mean "containers"?' },
    ]);
  });

  it('accepts refs, qualified names and an empty root path', () => {
    expect(validateAgainst('[]Toleration', [{ operator: 'Exists', tolerationSeconds: 'x' }], 'tolerations')).toEqual([
      { path: 'tolerations[0].tolerationSeconds', type: 'TypeInvalid', value: 'x', detail: 'expected integer, got string' },
    ]);
    expect(validateAgainst('autoscaling/v2.HorizontalPodAutoscalerSpec', { maxReplicas: 3 }, '')).toEqual([
      { path: 'scaleTargetRef', type: 'Required', detail: '' },
    ]);
    expect(validateAgainst('Container', null, 'c')).toEqual([]);
  });

  it('throws SchemaError for a type it does not know', () => {
    expect(() => validateAgainst('NoSuchType', {}, '')).toThrow(SchemaError);
    expect(() => validateAgainst('NoSuchType', {}, '')).toThrow('unknown schema type "NoSuchType"');
  });
});

// ---------------------------------------------------------------------------
// Property tests. The struct positions of a value are found from the raw
// generated table (independently of the validator's compiled form).

const types = (generated as unknown as { types: Record<string, Record<string, string>> }).types;

interface Position {
  steps: Array<string | number>;
  path: string;
  type: string;
}

function structPositions(value: unknown, ref: string, steps: Array<string | number>, path: string, out: Position[]): void {
  const r = ref.startsWith('!') ? ref.slice(1) : ref;
  if (r.startsWith('[]')) {
    if (Array.isArray(value)) value.forEach((v, i) => structPositions(v, r.slice(2), [...steps, i], `${path}[${i}]`, out));
    return;
  }
  if (r.startsWith('{}')) {
    if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) structPositions(v, r.slice(2), [...steps, k], `${path}[${k}]`, out);
    }
    return;
  }
  const fields = types[r];
  if (!fields || !value || typeof value !== 'object' || Array.isArray(value)) return;
  out.push({ steps, path, type: r });
  for (const [k, v] of Object.entries(value)) {
    const fieldRef = Object.hasOwn(fields, k) ? fields[k] : undefined;
    if (fieldRef) structPositions(v, fieldRef, [...steps, k], path ? `${path}.${k}` : k, out);
  }
}

describe('properties', () => {
  const pod = manifest('v1', 'Pod');
  const positions: Position[] = [];
  structPositions(pod, 'Pod', [], '', positions);

  it('finds struct positions at many depths of the fixture pod', () => {
    expect(positions.length).toBeGreaterThan(20);
    expect(Math.max(...positions.map((p) => p.steps.length))).toBeGreaterThanOrEqual(6);
  });

  it('a valid Pod with one extra key at a random depth reports exactly that path as unknown', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: positions.length - 1 }),
        fc.string({ minLength: 1, maxLength: 12 }),
        fc.jsonValue({ maxDepth: 2 }),
        (index, key, value) => {
          const pos = positions[index]!;
          fc.pre(!Object.hasOwn(types[pos.type]!, key));
          const copy = structuredClone(pod);
          const target = at(copy, ...pos.steps);
          // defineProperty: a key such as "__proto__" must become an own field, as JSON.parse makes it.
          Object.defineProperty(target, key, { value, enumerable: true, configurable: true, writable: true });
          const errs = validateManifestShape(copy);
          const path = pos.path ? `${pos.path}.${key}` : key;
          expect(errs).toHaveLength(1);
          expect(errs[0]).toMatchObject({ path, type: 'FieldValueUnknown' });
        },
      ),
      { numRuns: 300 },
    );
  });

  const fieldNames = [...new Set(Object.values(types).flatMap((f) => Object.keys(f)))].sort();
  const kinds = knownKinds();
  const { value: anyValue } = fc.letrec<{ value: unknown; object: Obj }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.jsonValue({ maxDepth: 1 }),
      tie('object'),
      fc.array(tie('value'), { maxLength: 3 }),
    ),
    object: fc.dictionary(fc.oneof(fc.constantFrom(...fieldNames), fc.string({ maxLength: 4 })), tie('value'), { maxKeys: 5 }),
  }));

  it('random JSON shaped like manifests never throws and yields well-formed errors', () => {
    fc.assert(
      fc.property(fc.constantFrom(...kinds), fc.dictionary(fc.constantFrom(...fieldNames), anyValue, { maxKeys: 6 }), (k, body) => {
        const obj = { ...body, apiVersion: k.apiVersion, kind: k.kind };
        const errs = validateManifestShape(obj);
        for (const e of errs) {
          expect(typeof e.path).toBe('string');
          expect(e.path.length).toBeGreaterThan(0);
          expect(['FieldValueUnknown', 'TypeInvalid', 'Required']).toContain(e.type);
          expect(typeof formatFieldError(e)).toBe('string');
        }
      }),
      { numRuns: 200 },
    );
  });

  it('arbitrary values never throw', () => {
    fc.assert(
      fc.property(fc.anything(), (v) => {
        expect(Array.isArray(validateManifestShape(v))).toBe(true);
        expect(Array.isArray(validateAgainst('PodSpec', v, 'spec'))).toBe(true);
      }),
    );
  });
});

describe('performance', () => {
  it('validates 5,000 objects well under a second', () => {
    const objs: Obj[] = [];
    for (let i = 0; i < 5000; i++) {
      const m = structuredClone(manifests[i % manifests.length]!);
      (m['metadata'] as Obj)['name'] = `obj-${i}`;
      objs.push(m);
    }
    validateManifestShape(objs[0]); // warm up
    // CPU time rather than wall time: the test machine is shared.
    const start = process.cpuUsage();
    let count = 0;
    for (const o of objs) count += validateManifestShape(o).length;
    const used = process.cpuUsage(start);
    const ms = (used.user + used.system) / 1000;
    expect(count).toBe(0);
    // Typically ~100 ms on an idle core.
    expect(ms).toBeLessThan(1000);
  });
});

describe('generated.json', () => {
  it('is up to date with scripts/gen-schema.ts', () => {
    const require = createRequire(import.meta.url);
    const tsx = require.resolve('tsx/cli');
    const script = fileURLToPath(new URL('../../scripts/gen-schema.ts', import.meta.url));
    const res = spawnSync(process.execPath, [tsx, script, '--check'], { encoding: 'utf8' });
    expect(res.stderr).not.toContain('stale');
    expect(res.status).toBe(0);
  });
});
