import { fileURLToPath } from 'node:url';

/** This service's program, for whoever runs it as a process of its own. */
export const entry = fileURLToPath(new URL('./index.js', import.meta.url));
