import { fileURLToPath } from 'node:url';

/** This service's program, for whoever runs it as a process of its own. */
export const entry = fileURLToPath(new URL('./index.js', import.meta.url));

/**
 * Jobs one process runs at once unless IMPORT_CONCURRENCY says otherwise: here, beside the program,
 * because whoever runs the process sizes its heap for them (without loading the service to ask).
 */
export const DEFAULT_IMPORT_CONCURRENCY = 2;
