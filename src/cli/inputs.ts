/**
 * The input files of run, validate and explain: the positional FILEs plus
 * `--config FILE`, a KubeSchedulerConfiguration (or KubeletConfiguration) file
 * as kube-scheduler's own --config takes it. The loader recognises those
 * documents by apiVersion and kind wherever they appear, so --config is the
 * familiar spelling of "one more input file".
 */
import type { ParsedArgs } from './command.ts';
import { UsageError } from './io.ts';

export const CONFIG_OPTION_HELP = `  --config FILE        A KubeSchedulerConfiguration (kubescheduler.config.k8s.io/v1)
                       or KubeletConfiguration file, as kube-scheduler --config
                       and kubelet --config read them (a document of either kind
                       in any FILE works too)`;

export function inputFiles(args: ParsedArgs, command: string): string[] {
  const files = [...args.positionals];
  if (files.length === 0) throw new UsageError('at least one FILE is required', command);
  const config = args.values['config'];
  if (typeof config === 'string') {
    if (config === '') throw new UsageError('--config needs a file', command);
    files.push(config);
  }
  return files;
}
