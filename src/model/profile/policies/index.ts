import { IO_POLICIES } from './io.js';
import { MM_POLICIES } from './mm.js';
import { PATH_POLICIES } from './paths.js';

/** Every policy pinlab knows, by name. */
export const POLICIES = { ...MM_POLICIES, ...IO_POLICIES, ...PATH_POLICIES } as const;

export type PolicyName = keyof typeof POLICIES;
export type PolicyValue<N extends PolicyName> = (typeof POLICIES)[N]['values'][number];
/** A profile's value for every policy. */
export type Policies = { readonly [N in PolicyName]: PolicyValue<N> };

export const POLICY_NAMES = Object.keys(POLICIES) as PolicyName[];
