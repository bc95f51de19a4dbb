/**
 * A member no string key can equal, kept in a small Set or Map that would otherwise keep dropping to empty
 * (a work queue's dirty and processing sets, its delayed adds, the garbage collector's scheduled work).
 * Why: V8 shrinks a hash table when a delete leaves it under half full, even at the smallest capacity, so
 * taking the last key out of a one-key set made a new table (a runtime call and garbage) on every cycle,
 * twice per reconcile. With this member the smallest table never shrinks; membership of real keys is
 * unchanged. Holders never iterate or size these collections.
 */
export const NEVER_A_KEY: unique symbol = Symbol('never a key');
