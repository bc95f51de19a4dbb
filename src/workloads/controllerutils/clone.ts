/** Controllers copy templates with the shared JSON deep copy (api/jsonClone.ts). */
export { cloneJson } from '../../api/jsonClone.ts';
