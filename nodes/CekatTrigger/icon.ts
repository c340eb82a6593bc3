import type { Icon } from 'n8n-workflow';

/**
 * The icon of every version of the Cekat Trigger. n8n resolves a version's icon path relative to the entry file
 * (CekatTrigger.node.ts), not to the version's own file in v1/ or v2/: the path is written once, for that folder.
 */
export const CEKAT_TRIGGER_ICON: Icon = { light: 'file:../../icons/cekat.svg', dark: 'file:../../icons/cekat.dark.svg' };
