/**
 * The Job registry strategy's create-time work, as kube-apiserver's
 * pkg/registry/batch/job/strategy.go (v1.33): a new Job starts with an empty
 * status, and unless spec.manualSelector is true its selector is generated
 * (generateSelector): the pod template gets the labels
 * batch.kubernetes.io/job-name and batch.kubernetes.io/controller-uid, and the
 * legacy job-name and controller-uid, where the user did not set them, and the
 * selector matches batch.kubernetes.io/controller-uid=<uid>. It needs the
 * Job's uid, so it runs as a prepareForCreate step after the system fields.
 */
import type { Job } from 'kubernetes-types/batch/v1.js';
import type { AdmissionPlugin, KObject } from '../../sim/types.ts';

export const JobNameLabel = 'batch.kubernetes.io/job-name';
export const ControllerUidLabel = 'batch.kubernetes.io/controller-uid';
export const LegacyJobNameLabel = 'job-name';
export const LegacyControllerUidLabel = 'controller-uid';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** generateSelector. */
export function generateSelector(job: Job & KObject): void {
  const spec = (job.spec ??= { template: {} }) as Mutable<NonNullable<Job['spec']>>;
  const template = (spec.template ??= {});
  const tm = (template.metadata ??= {});
  const labels = (tm.labels ??= {});
  const name = job.metadata.name ?? '';
  const uid = job.metadata.uid ?? '';
  for (const key of [LegacyJobNameLabel, JobNameLabel]) if (!(key in labels)) labels[key] = name;
  for (const key of [LegacyControllerUidLabel, ControllerUidLabel]) if (!(key in labels)) labels[key] = uid;
  const selector = (spec.selector ??= {});
  const ml = (selector.matchLabels ??= {});
  if (!(ControllerUidLabel in ml)) ml[ControllerUidLabel] = uid;
}

export const jobStrategyAdmission: AdmissionPlugin = {
  name: 'JobStrategy',
  kinds: ['Job'],
  prepareForCreate(obj: KObject): void {
    const job = obj as Job & KObject;
    (job as { status?: Job['status'] }).status = {};
    if (job.spec?.manualSelector !== true) generateSelector(job);
    // SetDefaults_Job copies the template's labels to a Job without labels. Upstream runs defaulting again
    // whenever the object is read back from storage, so clients see the generated labels on the Job too.
    const tLabels = job.spec?.template?.metadata?.labels;
    if (tLabels && Object.keys(job.metadata.labels ?? {}).length === 0) job.metadata.labels = { ...tLabels };
  },
};
